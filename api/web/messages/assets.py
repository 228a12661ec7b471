"""Chinese messages of the asset-revitalization refusals (盘活, domain/assets/errors.py;
docs/rules.md A-01 … A-15)."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
asset_error=资产盘活操作未完成。请检查填写的内容后重试。
asset_registered_differently=本村已登记过这个资产编号，但登记的信息与本次填写的不同。请核对资产编号，或使用新的编号。
asset_not_found=找不到这项资产。请核对资产编号或所属村。
resource_kind_not_allowed=该资产类别不在本村当日适用的资源类别清单中。请选择清单内的类别，或请管理员更新政策。
resource_kind_unknown=没有这个资产类别。请从清单中选择资产类别。
asset_rights_not_confirmed=该资产尚未确权。请先办理确权，再进行审批、挂牌或签订合同。
rights_already_confirmed=该资产已经确权，无需再次确权。
asset_disposed=该资产已处置，不能再办理任何事项。
resource_kind_may_not_be_sold=宅基地等此类资产不得出售（包括变相出售）。请改用其他方式盘活。
contract_without_resolution=签订合同需要集体决议批准该资产的这种盘活方式。请先录入相应的决议。
contract_before_resolution=合同签订日期早于批准它的会议日期。请核对合同日期或决议日期。
asset_already_contracted=该资产已有尚未到期的合同。请先终止或续签原合同。
contract_number_reused=这个合同编号已用于该资产以前的合同。请使用新的合同编号。
no_active_contract=该资产目前没有生效的合同，不能办理这一步。
lease_term_exceeds_20_years=租赁期限不得超过20年（《民法典》第七百零五条）。请缩短租期。
public_bidding_required=这笔交易金额达到公开竞价标准，必须在农村产权交易市场公开竞价。请先挂牌交易。
not_listed_for_bidding=合同写明经过公开竞价，但该资产从未在产权交易市场挂牌。请先录入挂牌信息。
listing_without_resolution=挂牌交易前需要先有批准的集体决议。请先录入决议。
rent_period_outside_contract=租金所属期间必须在合同期限之内。请核对租金起止日期。
invoice_number_reused=这个账单编号已用于该资产的另一张账单。请使用新的账单编号。
invoice_not_found=该资产没有这个编号的账单。请核对账单编号。
payment_exceeds_amount_due=收款金额超过了该账单尚未收回的金额。请核对收款金额。
payment_before_invoice=收款日期早于账单开具日期。请核对收款日期。
receipt_number_reused=这个收据编号已用于该资产的另一笔收款。请使用新的收据编号。
invoice_not_overdue=账单尚未到期或已经收清，不能记为欠款。
renewal_not_later=续签后的到期日必须晚于合同现在的到期日。请核对续签到期日。
termination_outside_term=合同只能在合同期限内的某一天终止。请核对终止日期。
correction_reason_unknown=更正原因不在规定的清单中。请从清单中选择更正原因。
correction_changes_nothing=更正后的金额与账单原金额相同，无需更正。
invoice_contract_not_in_force=只能更正现行合同的账单；其他合同的账单已在终止时结清。
corrected_amount_below_received=更正后的金额不能低于该账单已收到的金额。请先冲销收款，再更正账单。
receipt_not_found=该资产没有这个编号的收款。请核对收据编号。
receipt_already_reversed=这笔收款已经冲销过，不能再次冲销。
"""
)
