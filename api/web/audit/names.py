"""Chinese names for what the auditor's pages show that no GraphQL enum names (those are in
api/web/labels.py, event types in api/web/event_names.py): object kinds, verify's results, and
the common attributes of an aggregate's state. A value without a name here is shown as it is
stored (a code is never hidden)."""

from __future__ import annotations

KINDS = {
    "asset": "资产",
    "parcel": "地块",
    "elder": "老人",
    "settlement": "助餐结算单",
    "meal": "用餐记录",
    "point": "助餐点",
    "record": "记录",
}
SEARCHABLE = ("asset", "parcel", "elder", "settlement")

VERIFY_RESULTS = {
    "ok": "通过",
    "changed": "事件被改动",
    "deleted": "事件被删除",
    "inserted": "插入了未封存的事件",
    "swapped": "事件顺序被调换",
    "truncated": "日志被截短",
    "rewritten": "日志与封存一起被改写",
    "signature_invalid": "检查点签名无效",
    "seal_inconsistent": "封存表被改动",
    "unsigned": "有未签名的事件",
    "signature_mismatch": "事件与签名不符",
    "signed_by_untrusted_key": "由不受信任的密钥签名",
}

ATTRIBUTES = {
    "village_code": "村代码",
    "asset_code": "资产编号",
    "parcel_code": "地块编号",
    "point_code": "助餐点编号",
    "name": "名称",
    "kind": "类别",
    "status": "状态",
    "stage": "阶段",
    "location": "坐落",
    "area_m2": "面积（平方米）",
    "book_value": "账面价值",
    "registered_on": "登记日期",
    "certificate_no": "权证号",
    "enrolled_on": "登记日期",
    "died_on": "死亡日期",
    "month": "月份",
    "runs": "校验次数",
    "last": "最近一次",
    "book_value_yuan": "账面价值（元）",
    "book_account": "会计科目",
    "sale_forbidden": "禁止出售",
    "rights_confirmed": "已确权",
    "appraised_value_yuan": "评估价值（元）",
    "approvals": "审批",
    "listing": "挂牌",
    "contract": "合同",
    "contract_numbers": "合同编号",
    "invoices": "发票",
    "receipts": "收款",
    "name_sealed": "姓名（密文）",
    "id_number_sealed": "身份证号（密文）",
    "categories": "补贴类别",
    "suspensions": "暂停助餐",
    "moved_away_on": "迁出日期",
    "reported_on": "报告日期",
    "erased": "个人信息已销毁",
    "meal_point_id": "助餐点",
    "elder_id": "老人",
    "served_on": "用餐日期",
    "served_at": "用餐时间",
    "slot": "餐次",
    "category": "补贴类别",
    "price_yuan": "餐价（元）",
    "government_yuan": "政府补贴（元）",
    "collective_yuan": "村集体补贴（元）",
    "elder_yuan": "老人自付（元）",
    "voided": "已作废",
    "void_reason": "作废原因",
    "batch_id": "上传批次",
    "record_id": "记录号",
    "delivery": "送餐上门",
    "capacity_meals_per_day": "每日接待能力（餐）",
    "operator_kind": "运营方类型",
    "operator_name": "运营方",
    "planned_use": "规划用途",
    "land_class": "土地类别",
    "reason": "原因",
    "amount_yuan": "金额（元）",
    "invoice_no": "发票号",
    "receipt_no": "收据号",
    "contract_no": "合同编号",
    "counterparty_name": "对方名称",
}
# The state's attributes whose values a GraphQL enum names, by aggregate type.
VALUE_KINDS = {
    "Asset": {"status": "AssetStatus"},
    "Parcel": {"stage": "ParcelStage", "planned_use": "PlannedUse", "land_class": "LandClass"},
    "MealSettlement": {"status": "SettlementStatus"},
    "Meal": {"slot": "MealSlot", "category": "MealCategory", "void_reason": "VoidReason"},
    "MealPoint": {"kind": "MealPointKind", "operator_kind": "OperatorKind"},
}
STATUS_KINDS = {  # the GraphQL enum naming each kind's status (api/web/labels.py)
    "asset": "AssetStatus",
    "parcel": "ParcelStage",
    "elder": "ElderStatus",
    "settlement": "SettlementStatus",
}


def attribute_name(key: str) -> str:
    return ATTRIBUTES.get(key, key)
