"""Chinese messages of the workbench's own refusals (api/web/: a form sent without its page's
security token, a form the server could not read) and of signing in (domain/access: web users)."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
csrf_token_invalid=页面已过期或来源不明，本次提交没有保存。请刷新页面后重新填写提交。
form_invalid=提交的表单无法读取，本次提交没有保存。请刷新页面后重试。
too_many_sign_ins=这台电脑输错密码的次数太多，请15分钟后再试。
sign_in_failed=用户名或密码不正确。请核对后重新输入。
sign_in_refused=无法登录。请核对用户名和密码，或联系管理员。
account_locked=密码连续输错次数过多，账号已锁定15分钟。请稍后再试，或请管理员重置密码。
user_disabled=这个账号已停用。请联系管理员。
user_not_found=找不到这个用户。请核对用户名。
username_invalid=用户名只能用3到32个小写字母、数字、下划线、点或连字符，并以字母开头。
username_taken=这个用户名已经有人使用。请换一个用户名。
password_too_short=密码太短，至少10个字符。请设置更长的密码。
password_too_long=密码太长，最多200个字符。请设置短一些的密码。
password_mismatch=两次输入的密码不一致。请重新输入。
entry_not_found=这个村的账上没有这笔分录。请从明细账点凭证号进入。
village_required=请先选择村，再查看这笔分录。
not_found=找不到这个页面。请核对地址，或从村务公开栏（/public）进入。
"""
)
