"""The demo's three web users, beside its API tokens (``qianwan serve --demo``): ``admin``,
``kuaiji`` (the accountant of 乌村桥村, a demo village with assets, a meal point and vouchers)
and ``shenji`` (an auditor of the whole district). Their passwords are random, made once and kept
with the demo tokens in var/demo-tokens.txt; only the demo makes them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.shared.errors import DomainError
from domain.shared.values import Provenance

if TYPE_CHECKING:
    from qianwan.bootstrap import Registry

DEMO_ACCOUNTANT_VILLAGE = ("320117107206", "乌村桥村")  # assets, a meal point, vouchers
PASSWORD_BYTES = 12  # 16 characters of token_urlsafe


@dataclass(frozen=True)
class DemoUserSpec:
    username: str
    display_name: str
    role: str
    villages: tuple[str, ...]
    variable: str  # in the demo tokens file
    scope: str  # what is printed beside it


DEMO_USERS = (
    DemoUserSpec("admin", "演示管理员", "admin", (), "QIANWAN_DEMO_ADMIN_PASSWORD", "管理员"),
    DemoUserSpec(
        "kuaiji",
        "演示会计",
        "accountant",
        (DEMO_ACCOUNTANT_VILLAGE[0],),
        "QIANWAN_DEMO_KUAIJI_PASSWORD",
        f"会计, {DEMO_ACCOUNTANT_VILLAGE[1]} {DEMO_ACCOUNTANT_VILLAGE[0]}",
    ),
    DemoUserSpec("shenji", "演示审计", "auditor", (), "QIANWAN_DEMO_SHENJI_PASSWORD", "审计, 全区"),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    variable: str
    password: str
    scope: str


def ensure_demo_users(registry: Registry, known: dict[str, str], by: Provenance) -> list[DemoUser]:
    """The demo's users with the passwords of ``known`` while those still sign them in; else a
    new password (a new user, or a reset one enabled again). A user whose village the database
    does not hold (not the demo district) is left out."""
    users: list[DemoUser] = []
    for spec in DEMO_USERS:
        password = known.get(spec.variable, "")
        if not password or not registry.users.password_works(spec.username, password):
            password = secrets.token_urlsafe(PASSWORD_BYTES)
            try:
                replace_password(registry, spec, password, by)
            except DomainError as error:
                if error.code == "village_not_registered":
                    continue
                raise
        users.append(DemoUser(spec.username, spec.variable, password, spec.scope))
    return users


def replace_password(registry: Registry, spec: DemoUserSpec, password: str, by: Provenance) -> None:
    try:
        registry.users.user(spec.username)
    except DomainError:
        registry.users.create_user(
            spec.username, spec.display_name, password, spec.role, list(spec.villages), by
        )
        return
    registry.users.reset_password(spec.username, password, by)
    registry.users.enable_user(spec.username, by)
