"""The workbench's menu: what each role sees at the top of every page. A page of an area adds
its line here; a role never sees a link to a page that would refuse it."""

from __future__ import annotations

from dataclasses import dataclass

from domain.access.roles import Role

A, U, P, D = Role.ACCOUNTANT, Role.AUDITOR, Role.PLATFORM, Role.ADMIN


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    roles: frozenset[Role]


NAV: tuple[NavItem, ...] = (
    NavItem("/", "首页", frozenset({A, U, P, D})),
    NavItem("/assets", "资产", frozenset({A, U, P})),
    NavItem("/meals", "老年助餐", frozenset({A, U, P})),
    NavItem("/books", "账簿", frozenset({A, U})),
    NavItem("/vouchers", "记账凭证", frozenset({A, U})),
    NavItem("/uploads", "导入表格", frozenset({A})),
    NavItem("/disclosures", "村务公开", frozenset({A, U, P})),
    NavItem("/graphql", "GraphQL 控制台", frozenset({A, U, P, D})),
    NavItem("/audit", "审计查询", frozenset({U})),
    NavItem("/audit/findings", "助餐疑点", frozenset({A, U, P})),
    NavItem("/audit/seal", "封存与校验", frozenset({U})),
    NavItem("/dashboard", "数据大屏", frozenset({U, P})),
)


def menu(role: Role) -> list[NavItem]:
    return [item for item in NAV if role in item.roles]
