"""Chinese labels of the GraphQL enum values the workbench shows (issue 14).

``label(kind, value)``: ``kind`` is the GraphQL enum's name (api/enums.py, api/books/types.py),
``value`` its code. The Chinese names the domain's vocabularies already hold are read from them,
never retyped; only the vocabularies that carry no Chinese name get one here. An unknown kind or
value is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from domain.assets.rentroll import ROW_STATUS_NAMES_ZH
from domain.assets.vocabulary import (
    CORRECTION_REASONS,
    COUNTERPARTY_KINDS,
    INVOICE_CORRECTION_REASONS,
    MATTER_NAMES_ZH,
    MODE_NAMES_ZH,
    RECEIPT_REVERSAL_REASONS,
)
from domain.books.vocabulary import COUNTERPARTY_KIND_NAMES_ZH, ENTRY_KIND_NAMES_ZH
from domain.books.vocabulary import STATUS_NAMES_ZH as VOUCHER_STATUS_NAMES_ZH
from domain.disclosure.vocabulary import STATE_NAMES_ZH as DISCLOSURE_STATE_NAMES_ZH
from domain.land.vocabulary import (
    ENTRY_WAYS,
    LAND_CLASSES,
    LEVY_BASES,
    LISTING_METHODS,
    PAYMENT_KINDS,
    PLANNED_USES,
)
from domain.ledger.chart import CATEGORY_NAMES_ZH
from domain.meals.vocabulary import CATEGORIES, MEAL_POINT_KINDS, OPERATOR_KINDS, SLOT_NAMES_ZH
from domain.reference.model import TOWN_KIND_NAMES_ZH
from domain.shared.resolution import MEETING_KIND_NAMES_ZH

IN_BRACKETS = re.compile(r"[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]")


def chinese_in_brackets(meanings: Mapping[str, str]) -> dict[str, str]:
    """The Chinese name an English meaning carries in brackets: "… (录入金额错误)"."""
    found: dict[str, str] = {}
    for code, meaning in meanings.items():
        matched = IN_BRACKETS.search(meaning)
        if matched:
            found[code] = matched[1]
    return found


CORRECTION_REASON_NAMES_ZH = chinese_in_brackets(CORRECTION_REASONS)

# The vocabularies whose Chinese names live here: no domain module names them in Chinese.
ROLE_NAMES_ZH = {"accountant": "会计", "auditor": "审计", "platform": "平台", "admin": "管理员"}
ASSET_STATUS_NAMES_ZH = {
    "registered": "已登记",
    "rights_confirmed": "已确权",
    "approved": "已批准",
    "rejected": "未获批准",
    "listed": "已挂牌",
    "contracted": "已签约",
    "in_arrears": "欠款中",
    "terminated": "已终止",
    "disposed": "已处置",
}
TERMINATION_REASON_NAMES_ZH = {
    "mutual_agreement": "协商解除",
    "breach_by_counterparty": "对方违约",
    "breach_by_collective": "集体一方违约",
    "force_majeure": "不可抗力",
    "other": "其他",
}
PAYMENT_CHANNEL_NAMES_ZH = {"bank": "银行存款", "cash": "库存现金"}
COUNTED_AGAINST_NAMES_ZH = {"total": "按应到总人数", "present": "按到会人数"}
PARCEL_STAGE_NAMES_ZH = {
    "registered": "已登记",
    "planning_conditions_issued": "已出具规划条件",
    "plan_drafted": "已拟定入市方案",
    "plan_approved": "入市方案已表决通过",
    "plan_filed": "入市方案已备案",
    "listed": "已挂牌",
    "awarded": "已成交",
    "contracted": "已签订合同",
    "levy_assessed": "已核定调节金",
    "levy_paid": "已缴纳调节金",
    "use_right_registered": "已登记使用权",
    "distribution_proposed": "已拟定分配方案",
    "distribution_approved": "分配方案已通过",
    "distribution_disclosed": "分配方案已公开",
    "distribution_paid": "已分配到成员",
}
WINNER_KIND_NAMES_ZH = {"organization": "单位", "person": "个人"}
SUSPENSION_REASON_NAMES_ZH = {
    "hospitalised": "住院",
    "temporarily_away": "暂时外出",
    "eligibility_review": "资格复核",
    "other": "其他",
}
CLOSURE_REASON_NAMES_ZH = {
    "operator_withdrew": "运营方退出",
    "merged": "合并",
    "inspection_failed": "检查不合格",
    "other": "其他",
}
ERASURE_REASON_NAMES_ZH = {
    "retention_expired": "保存期满",
    "data_subject_request": "本人申请删除",
    "enrolled_in_error": "误登记",
}
VOID_REASON_NAMES_ZH = {
    "meal_after_death": "死亡后用餐",
    "recorded_in_error": "录入错误",
    "not_served": "未实际供餐",
    "staff_meal": "工作人员用餐",
    "duplicate_claim": "重复申报",
}
SETTLEMENT_RETURN_REASON_NAMES_ZH = {
    "meals_disputed": "用餐记录有异议",
    "amounts_wrong": "金额有误",
    "documents_missing": "材料不全",
    "other": "其他",
}
ELDER_STATUS_NAMES_ZH = {
    "active": "正常",
    "suspended": "暂停",
    "moved_away": "已迁出",
    "deceased": "已故",
}
SETTLEMENT_STATUS_NAMES_ZH = {
    "drafted": "已编制",
    "submitted": "已提交",
    "verified": "已审核",
    "returned": "已退回",
    "approved": "已审批",
    "paid": "已拨付",
}
MEAL_OUTCOME_NAMES_ZH = {
    "accepted": "已记录",
    "already_recorded": "此前已记录",
    "refused": "未通过",
}
SETTLEMENT_DRAFT_NAMES_ZH = {
    "drafted": "已起草",
    "redrafted": "已重新起草",
    "unchanged": "无变化",
    "refused": "未起草",
}
MEAL_REFUSAL_NAMES_ZH = {
    "record_invalid": "记录格式有误",
    "elder_unknown": "老人未登记",
    "served_in_future": "日期晚于今天",
    "meal_point_closed": "助餐点未营业",
    "slot_not_offered": "不供应该餐次",
    "delivery_not_offered": "不提供送餐",
    "meal_after_death": "死亡后用餐",
    "elder_moved_away": "老人已迁出",
    "elder_suspended": "助餐服务暂停中",
    "elder_not_eligible_on_date": "当日不符合补贴条件",
    "time_outside_slot_window": "不在供餐时段内",
    "second_meal_in_slot": "同一餐次重复用餐",
}
FINDING_KIND_NAMES_ZH = {
    "meal_after_death": "死亡后用餐",
    "duplicate_claim": "重复申报",
    "meal_outside_window": "供餐时段外用餐",
    "claim_for_unknown_elder": "为未登记老人申报",
    "daily_count_above_capacity": "日用餐数超过供餐能力",
    "sudden_spike": "用餐数突增",
    "never_absent": "连续数月每天用餐",
}
FINDING_STATUS_NAMES_ZH = {
    "refused": "已拒绝",
    "voided": "已作废",
    "standing": "仍计入",
    "pattern": "统计异常",
}

LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "TownKind": TOWN_KIND_NAMES_ZH,
        "Role": ROLE_NAMES_ZH,
        "AssetStatus": ASSET_STATUS_NAMES_ZH,
        "ContractMode": MODE_NAMES_ZH,
        "RevitalizationMatter": MATTER_NAMES_ZH,
        "CounterpartyKind": {code: COUNTERPARTY_KIND_NAMES_ZH[code] for code in COUNTERPARTY_KINDS},
        "TerminationReason": TERMINATION_REASON_NAMES_ZH,
        "PaymentChannel": PAYMENT_CHANNEL_NAMES_ZH,
        "EntryKind": ENTRY_KIND_NAMES_ZH,
        "InvoiceCorrectionReason": {
            code: CORRECTION_REASON_NAMES_ZH[code] for code in INVOICE_CORRECTION_REASONS
        },
        "ReceiptReversalReason": {
            code: CORRECTION_REASON_NAMES_ZH[code] for code in RECEIPT_REVERSAL_REASONS
        },
        "MeetingKind": MEETING_KIND_NAMES_ZH,
        "CountedAgainst": COUNTED_AGAINST_NAMES_ZH,
        "ParcelStage": PARCEL_STAGE_NAMES_ZH,
        "PlannedUse": {code: use.name_zh for code, use in PLANNED_USES.items()},
        "LandClass": LAND_CLASSES,
        "EntryWay": ENTRY_WAYS,
        "ListingMethod": LISTING_METHODS,
        "WinnerKind": WINNER_KIND_NAMES_ZH,
        "LevyBase": LEVY_BASES,
        "ParcelPaymentKind": chinese_in_brackets(PAYMENT_KINDS),
        "MealSlot": SLOT_NAMES_ZH,
        "MealCategory": CATEGORIES,
        "MealPointKind": MEAL_POINT_KINDS,
        "OperatorKind": OPERATOR_KINDS,
        "SuspensionReason": SUSPENSION_REASON_NAMES_ZH,
        "ClosureReason": CLOSURE_REASON_NAMES_ZH,
        "ErasureReason": ERASURE_REASON_NAMES_ZH,
        "VoidReason": VOID_REASON_NAMES_ZH,
        "SettlementReturnReason": SETTLEMENT_RETURN_REASON_NAMES_ZH,
        "ElderStatus": ELDER_STATUS_NAMES_ZH,
        "SettlementStatus": SETTLEMENT_STATUS_NAMES_ZH,
        "MealOutcomeStatus": MEAL_OUTCOME_NAMES_ZH,
        "SettlementDraftStatus": SETTLEMENT_DRAFT_NAMES_ZH,
        "RentReceiptRowStatus": ROW_STATUS_NAMES_ZH,
        "AccountCategory": CATEGORY_NAMES_ZH,
        "DisclosureState": DISCLOSURE_STATE_NAMES_ZH,
        "MealRefusalReason": MEAL_REFUSAL_NAMES_ZH,
        "FindingKind": FINDING_KIND_NAMES_ZH,
        "FindingStatus": FINDING_STATUS_NAMES_ZH,
        "VoucherStatus": VOUCHER_STATUS_NAMES_ZH,
        "SubledgerCounterpartyKind": COUNTERPARTY_KIND_NAMES_ZH,
    }
)


def label(kind: str, value: str) -> str:
    """The Chinese name of ``value`` of the enum ``kind``; the value itself when there is none."""
    names = LABELS.get(kind)
    found = names.get(value) if names is not None else None
    return found if found is not None else value
