"""Chinese messages of the refusals of the API itself (api/: the request, the query's limits,
the pages of a list, the scalars) rather than of a context. A page of the workbench meets them
only when something is wrong with how it asked, so most say to reload or to ask for less."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
internal_error=系统内部出错，本次操作未完成。请稍后重试；如果仍然出错，请联系管理员。
read_models_behind=已保存，列表和汇总稍后就会显示这次的内容。
method_not_allowed=请求方式不对。请刷新页面后重试。
not_json=请求格式不对。请刷新页面后重试。
body_too_large=提交的内容太大。请减少内容后重试。
body_too_deep=提交的内容层次太深。请减少内容后重试。
body_not_json=请求格式不对。请刷新页面后重试。
batch_not_supported=一次只能提交一个请求。请逐个提交。
body_not_object=请求格式不对。请刷新页面后重试。
query_missing=请求缺少查询内容。请刷新页面后重试。
variables_not_object=请求参数格式不对。请刷新页面后重试。
operation_name_invalid=请求的操作名称格式不对。请刷新页面后重试。
operation_not_found=请求中找不到要执行的操作。请刷新页面后重试。
graphql_parse_failed=查询语句有语法错误。请刷新页面后重试。
graphql_validation_failed=查询语句与接口不符。请刷新页面后重试。
introspection_disabled=本系统不提供接口结构查询。
variables_invalid=填写的内容类型不对或缺少必填项。请核对后重试。
response_too_large=查询结果太多。请缩小查询范围或分页查看。
too_many_selections=一次查询的内容太多。请减少查询的项目。
query_too_deep=查询的层次太深。请减少嵌套的内容。
selections_nested_too_deep=查询的层次太深。请减少嵌套的内容。
too_many_aliases=一次查询中的别名太多。请减少查询的项目。
query_too_complex=一次查询的数据量太大。请缩小范围或分页查看。
page_size_out_of_range=每页条数应在0到100之间。请调整每页条数。
cursor_not_recognized=翻页位置无效（列表可能已更新）。请回到第一页重新查看。
decimal_invalid=数字格式不对，应写成如12.34的数字。请核对。
decimal_out_of_range=数字超出范围：整数部分最多15位，小数部分最多6位。请核对。
feed_kind_unknown=变动推送中没有这种事件类型。请核对类型名称（如Asset或Asset.Contracted）。
feed_too_many_kinds=一次订阅的事件类型太多。请减少类型，或不限类型订阅。
feed_position_invalid=续传位置应为0或正整数（上次收到的notificationId）。请核对。
feed_too_many_subscriptions=同一连接上的订阅太多。请先结束不用的订阅。
subscription_needs_websocket=订阅要通过WebSocket连接提交。请参阅接口文档中的变动推送一节。
operation_not_subscription=WebSocket连接只用于订阅；查询和修改请用POST提交。
summary_list_too_long=该区本月的明细太多，无法一次列出。请只查看合计，或逐村查看。
dashboard_range_invalid=统计期间应为1至24个月，且起始月份不晚于截止月份。请调整月份。
"""
)
