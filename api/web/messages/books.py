"""Chinese messages of the books' refusals (账务, domain/books/errors.py; docs/rules.md V-01 …
V-10), of the statements' (domain/ledger/statement_errors.py; F-05) and of the trial balance
check of the command line."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
books_error=账务操作未完成。请检查填写的内容后重试。
voucher_not_found=找不到这张凭证。请核对后重试。
voucher_lines_too_few=一张凭证至少要有两行分录。请补充分录。
voucher_lines_too_many=一张凭证最多100行分录。请拆成几张凭证。
voucher_line_side_invalid=每行分录只能填借方或贷方其中一方，且金额不能为零。请核对该行金额。
voucher_not_balanced=凭证借方合计与贷方合计不相等（借贷不平衡）。请核对各行金额。
account_unknown=凭证日期适用的会计科目表中没有这个科目。请核对科目编码。
account_reserved_for_closing=321本年收益只能由年终结账自动生成的结转凭证使用。请改用其他科目。
account_side_invalid=普通凭证中收入类科目只能记贷方，支出类科目只能记借方。请核对记账方向，更正请用红字冲销。
counterparty_required=应收款、应付款等需要辅助核算的科目，每行都要填写往来单位或个人。请补填往来对象。
date_in_future=凭证日期不能晚于今天。请核对凭证日期。
period_closed=凭证所属月份已经结账。请把凭证日期改到第一个未结账的月份。
attachments_out_of_range=附件张数应在0到999之间。请核对附件张数。
voucher_not_prepared=只有待审核的凭证才能审核或退回。
reviewer_is_preparer=审核人不能是制单人本人。请由另一位会计审核。
voucher_not_posted=只有已记账的凭证才能冲销。
voucher_already_reversed=这张凭证已经冲销过，或它的冲销凭证正在等待审核。
voucher_is_reversal=红字冲销凭证本身不能再冲销。如需调整，请重新编制一张凭证。
period_not_ended=该月还没有结束，月末之后才能结账。
period_out_of_order=各月须按顺序结账，不能跳月。请先结第一个未结账的月份。
period_already_closed=该月已经结账。
period_not_last_closed=只能反结账最后一个已结账的月份，且须由管理员办理。
year_months_not_closed=1月至11月都结账后才能办理年终结账。请先结清各月。
year_already_closed=该年度已经年终结账。
trial_balance_unbalanced=试算平衡表借贷不平衡。请检查本期凭证并联系管理员。
statement_refused=无法生成这张报表。请检查所选的地区、期间和科目。
place_code_invalid=地区代码应为12位村代码、9位镇代码或6位区代码。请核对代码。
statement_period_invalid=报表期间不对：月份应写成“年-月”（如2025-03），结束月不能早于开始月，也不能超过允许的长度。
statement_account_not_in_chart=该期间适用的会计科目表中没有这个科目。请核对科目编码。
"""
)
