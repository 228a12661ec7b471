"""Chinese messages of the workbench's own refusals (api/web/): a form sent without its page's
security token, a form the server could not read, a page that does not exist."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
csrf_token_invalid=页面已过期或来源不明，本次提交没有保存。请刷新页面后重新填写提交。
form_invalid=提交的表单无法读取，本次提交没有保存。请刷新页面后重试。
"""
)
