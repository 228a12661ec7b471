"""Chinese messages of the disclosures' refusals (村务公开, domain/disclosure/errors.py;
docs/rules.md D-01 … D-09)."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
disclosure_error=村务公开操作未完成。请检查填写的内容后重试。
disclosure_not_found=找不到这份村务公开。请核对后重试。
disclosure_period_invalid=公开期间应写成“年-月”（如2026-03）或“年-季度”（如2026-Q1）。请核对期间。
disclosure_period_not_ended=该期间还没有结束，期末之后才能编制村务公开。
disclosure_period_not_scheduled=本村按规定的公开频次（按月或按季）公开，所填期间与之不符。请按公开频次填写期间。
disclosure_open_exists=该期间已有一份尚未发布的村务公开。请继续审核、重新编制或发布那一份。
disclosure_published_exists=该期间的村务公开已经发布。如需更正，请选择更正并写明原因。
disclosure_correction_invalid=更正只能针对同一村同一期间最新发布的那一份村务公开。请核对要更正的公开。
disclosure_correction_reason_missing=更正村务公开须写明更正原因。请填写原因。
disclosure_review_members_invalid=民主理财小组审核须填写3至5名不同的成员姓名，姓名不能为空。请核对成员。
disclosure_review_date_invalid=审核日期应在公开期间结束之后，且不能晚于今天。请核对审核日期。
disclosure_approved=民主理财小组已审核通过，不能再重新编制或重新审核。请直接发布。
disclosure_not_approved=须经民主理财小组审核通过当前数据后才能发布。请先办理审核。
disclosure_publish_date_invalid=发布日期不能早于审核日期，也不能晚于今天。请核对发布日期。
disclosure_published=这份村务公开已经发布，不能再修改。如需更正，请编制更正版本。
projections_behind=数据正在更新，暂时无法编制。请稍后重试，未记录任何内容。
role_not_assignable=“公众”角色只用于公开页面的匿名访问，不能分配给令牌或用户。请选择其他角色。
"""
)
