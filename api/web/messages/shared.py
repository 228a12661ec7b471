"""Chinese messages of the refusals every context shares (domain/shared/errors.py,
domain/shared/idempotency.py; docs/rules.md S-01 … S-11), and of the access, policy and
reference-data contexts."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
domain_error=操作未完成。请检查填写的内容后重试。
invalid_input=填写的内容格式不对、超出范围或不在可选项中。请检查填写的内容，修改后重试。
amount_not_in_fen=金额应以元为单位，最多两位小数（精确到分）。请核对金额。
amount_exceeds_maximum=金额超过了账簿能记录的上限（9999亿元以内）。请核对金额。
amount_not_positive=金额必须大于零。请核对金额。
village_code_invalid=村代码应为12位数字（区6位+镇3位+村3位）。请核对村代码。
town_code_invalid=镇代码应为9位数字（区6位+镇3位）。请核对镇代码。
district_code_invalid=区代码应为6位数字。请核对区代码。
village_not_registered=这个村代码没有对应已登记的村。请核对村代码。
actor_missing=每条记录都要注明经办人。请填写经办人。
date_invalid=日期应写成“年-月-日”（如2025-03-01），并且是日历上存在的日期。请核对日期。
date_out_of_range=日期应在1800年1月1日至2999年12月31日之间。请核对日期。
time_invalid=时间格式不对，应写成如2024-08-20T07:30（北京时间）。请核对时间。
time_out_of_range=时间应在1800年至2999年之间。请核对时间。
time_zone_unknown=系统配置的时区无效，系统无法启动。请联系管理员。
date_before_chart_of_accounts=该日期早于系统中最早的会计科目表生效日期，不能记账。请核对日期。
concurrent_update=有人同时修改了同一条记录。请刷新页面后重试。
resolution_votes_inconsistent=决议的票数不合理：赞成人数不能多于到会人数，到会人数不能多于应到人数，且都应大于零。请按会议记录核对。
approval_below_two_thirds_of_total=出租、处置集体资产和土地入市须经全体成员或全体村民代表三分之二以上同意（《土地管理法》第六十三条、《民法典》第二百六十一条）。赞成票不足，请核对决议。
approval_counted_on_attendees=这类事项须按全体成员或全体村民代表计算三分之二，不能按到会人数计算（《土地管理法》第六十三条）。请按应到总人数填写。
meeting_quorum_not_reached=到会人数不足法定人数，会议不能作出决定（《村民委员会组织法》第二十二条、第二十六条）。请核对到会人数。
approval_below_majority_of_present=赞成人数未超过到会人数的一半，决议未通过（《村民委员会组织法》第二十二条、第二十六条）。
policy_not_in_force=该地区在这一天没有生效的政策设置。请联系管理员设置。
database_busy=系统正忙，本次操作没有保存。请稍后再提交一次。
database_unavailable=暂时连接不上数据库，本次操作未完成，没有保存任何内容。请稍后再试。
write_outcome_unknown=保存过程中数据库断开，无法确认是否已保存。请原样再提交一次，系统不会重复记录。
text_contains_forbidden_character=文字中含有不能保存或显示的特殊字符（如控制字符）。请删除后重新输入。
read_model_halted=部分数据汇总已暂停更新，显示的内容可能不是最新的；正在办理的登记没有保存。请联系管理员处理。
idempotency_key_reused=这次提交与先前的一次提交编号相同但内容不同。请刷新页面后重新填写提交。
access_error=权限设置未完成。请检查填写的内容后重试。
role_unknown=角色只能是会计、审计、平台或管理员。请选择角色。
accountant_needs_villages=会计的令牌至少要指定一个由其记账的村。请选择村。
token_villages_null=可访问的村应为村代码列表（不限村时留空），不能不填。
role_not_scoped_to_villages=只有会计和审计的令牌可以限定村，平台和管理员的令牌不能。
token_expiry_not_in_future=令牌的到期日必须晚于签发日。请核对到期日。
token_not_found=找不到这个令牌。请核对后重试。
UNAUTHENTICATED=尚未登录或登录已失效。请重新登录。
FORBIDDEN=您没有权限查看或办理这项内容。如需权限，请联系管理员。
policy_error=政策设置未完成。请检查填写的内容后重试。
policy_key_unknown=系统中没有这项政策。请核对政策名称。
policy_value_invalid=政策的取值格式不对。请按说明填写。
jurisdiction_invalid=适用范围应为全国（CN）或6位区、9位镇、12位村代码。请核对。
reference_error=区划资料操作未完成。请检查填写的内容后重试。
place_registered_differently=这个代码的区、镇或村已经登记，但登记的信息与本次填写的不同。请核对。
parent_place_not_registered=请先登记上级区划：登记镇之前要先登记区，登记村之前要先登记镇。
code_not_under_parent=镇代码应以所属区代码开头，村代码应以所属镇代码开头。请核对代码。
"""
)
