"""Chinese names for what the auditor's pages show: event types, object kinds, finding kinds
and statuses, verify's results, and the common attributes of an aggregate's state. A value
without a name here is shown as it is stored (a code is never hidden)."""

from __future__ import annotations

from api.web.labels import label

EVENT_NAMES = {
    "Asset.Registered": "资产登记",
    "Asset.RightsConfirmed": "确权",
    "Asset.Appraised": "评估",
    "Asset.RevitalizationApproved": "盘活方案通过",
    "Asset.RevitalizationRejected": "盘活方案否决",
    "Asset.ListedForBidding": "公开竞价挂牌",
    "Asset.Contracted": "签订合同",
    "Asset.ContractRenewed": "合同续签",
    "Asset.ContractTerminated": "合同终止",
    "Asset.RentInvoiced": "开具租金发票",
    "Asset.RentReceived": "收到租金",
    "Asset.InvoiceCorrected": "更正发票",
    "Asset.ReceiptReversed": "冲销收款",
    "Asset.RentInArrears": "租金拖欠",
    "Asset.Disposed": "资产处置",
    "Parcel.Registered": "地块登记",
    "Parcel.PlanningConditionsIssued": "出具规划条件",
    "Parcel.PlanDrafted": "拟定入市方案",
    "Parcel.PlanApproved": "入市方案表决通过",
    "Parcel.PlanFiled": "入市方案备案",
    "Parcel.Listed": "挂牌交易",
    "Parcel.Awarded": "确定受让人",
    "Parcel.ContractSigned": "签订出让合同",
    "Parcel.InstallmentReceived": "收到价款",
    "Parcel.LevyAssessed": "核定调节金",
    "Parcel.LevyPaid": "缴纳调节金",
    "Parcel.UseRightRegistered": "使用权登记",
    "Parcel.DistributionProposed": "收益分配方案提出",
    "Parcel.DistributionApproved": "收益分配方案通过",
    "Parcel.DistributionDisclosed": "收益分配公示",
    "Parcel.MembersPaid": "向成员发放收益",
    "Elder.Enrolled": "老人登记",
    "Elder.CategoryGranted": "认定补贴类别",
    "Elder.CategoryEnded": "补贴类别终止",
    "Elder.Suspended": "暂停助餐",
    "Elder.Resumed": "恢复助餐",
    "Elder.Moved": "迁出",
    "Elder.Died": "死亡登记",
    "Elder.PersonalDataErased": "个人信息销毁",
    "Meal.Recorded": "用餐记录",
    "Meal.Voided": "作废用餐记录",
    "MealBatch.Submitted": "上传用餐记录",
    "MealPoint.Registered": "助餐点登记",
    "MealPoint.Closed": "助餐点关闭",
    "MealPoint.SettlementDrafted": "起草结算",
    "MealSettlement.Drafted": "结算单起草",
    "MealSettlement.Redrafted": "结算单重新起草",
    "MealSettlement.Submitted": "结算单报送",
    "MealSettlement.Verified": "结算单审核",
    "MealSettlement.Returned": "结算单退回",
    "MealSettlement.Approved": "结算单批准",
    "MealSettlement.SubsidyReceived": "收到补贴",
    "MealSettlement.Paid": "支付助餐点",
    "SealVerification.Opened": "开始记录校验",
    "SealVerification.Completed": "完成一次校验",
}

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

FINDING_KINDS = {
    "meal_after_death": "死亡后仍有用餐",
    "duplicate_claim": "同一餐次重复申报",
    "meal_outside_window": "用餐时间不在餐次时段内",
    "claim_for_unknown_elder": "为未登记的人申报",
    "daily_count_above_capacity": "单日餐数超过接待能力",
    "sudden_spike": "单日餐数突增",
    "never_absent": "连续数月从未缺餐",
}
FINDING_STATUSES = {
    "refused": "已拒收",
    "voided": "已作废",
    "standing": "仍在计数",
    "pattern": "统计信号",
}
SLOTS = {"breakfast": "早餐", "lunch": "午餐", "dinner": "晚餐"}

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
}


def event_name(event_type: str) -> str:
    return EVENT_NAMES.get(event_type) or label("event", event_type)


def attribute_name(key: str) -> str:
    return ATTRIBUTES.get(key, key)
