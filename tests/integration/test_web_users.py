"""Web users: creating, listing, disabling, enabling, resetting passwords; every refusal with its
code and nothing recorded; the read model lists them, rebuilds to the same rows and grants
nothing (docs/rules.md W-01 … W-03)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert, select

from domain.access.users import WebUser
from domain.shared.errors import DomainError
from projections.users import list_users, web_users
from qianwan.bootstrap import Registry
from tests.integration.test_projections import snapshot
from tests.support import OTHER_VILLAGE, VILLAGE
from tests.users_support import ADMIN_BY, PASSWORD, cheap_users, last, make_accountant

HOSTILE = ["nul\x00name", "lone\ud800", "bidi\u202ename", "a" * 10_000, "x" * 10_000_000]


@pytest.fixture
def users(seeded: Registry) -> Registry:
    cheap_users(seeded)
    return seeded


def refused(registry: Registry, code: str, command: Any, *args: Any) -> DomainError:
    before = last(registry)
    with pytest.raises(DomainError) as raised:
        command(*args)
    assert raised.value.code == code, raised.value
    assert last(registry) == before, "a refusal recorded something"
    return raised.value


def test_a_user_is_created_listed_disabled_enabled_and_reset(users: Registry) -> None:
    user_id = users.users.create_user(
        "kuaiji", " 张会计 ", PASSWORD, "accountant", [VILLAGE, VILLAGE], ADMIN_BY
    )
    users.users.create_user("shenji", "李审计", PASSWORD, "auditor", [], ADMIN_BY)

    assert user_id == WebUser.create_id("kuaiji")
    with users.engine.connect() as conn:
        listed = list_users(conn)
    assert [(u.username, u.display_name, u.role, u.villages, u.disabled) for u in listed] == [
        ("kuaiji", "张会计", "accountant", (VILLAGE,), False),
        ("shenji", "李审计", "auditor", (), False),
    ]
    stored: Any = users.store.repository.get(user_id)
    assert PASSWORD not in str(vars(stored)) and stored.password_hash.startswith("$argon2id$")

    users.users.disable_user("kuaiji", "调离岗位", ADMIN_BY)
    users.users.disable_user("kuaiji", "again", ADMIN_BY)  # already disabled: nothing
    assert users.store.repository.get(user_id).version == 2
    with users.engine.connect() as conn:
        assert list_users(conn)[0].disabled

    users.users.enable_user("KuaiJi ", ADMIN_BY)  # an administrator's lookup ignores case
    with users.engine.connect() as conn:
        assert not list_users(conn)[0].disabled

    old_hash: str = users.store.repository.get(user_id).password_hash
    users.users.reset_password("kuaiji", "another long password", ADMIN_BY)
    new: Any = users.store.repository.get(user_id)
    assert new.password_hash != old_hash and new.generation == 2  # disabled once, reset once
    assert users.users.sign_in("kuaiji", "another long password", "test").username == "kuaiji"


@pytest.mark.parametrize(
    ("username", "name", "password", "role", "villages", "code"),
    [
        ("ab", "名", PASSWORD, "admin", [], "username_invalid"),
        ("a" * 33, "名", PASSWORD, "admin", [], "username_invalid"),
        ("1admin", "名", PASSWORD, "admin", [], "username_invalid"),
        ("Admin", "名", PASSWORD, "admin", [], "username_invalid"),
        ("ad min", "名", PASSWORD, "admin", [], "username_invalid"),
        ("用户名", "名", PASSWORD, "admin", [], "username_invalid"),
        (None, "名", PASSWORD, "admin", [], "username_invalid"),
        (["admin"], "名", PASSWORD, "admin", [], "username_invalid"),
        ("admin", "", PASSWORD, "admin", [], "invalid_input"),
        ("admin", "名" * 51, PASSWORD, "admin", [], "invalid_input"),
        ("admin", None, PASSWORD, "admin", [], "invalid_input"),
        ("admin", "名\x00", PASSWORD, "admin", [], "text_contains_forbidden_character"),
        ("admin", "名\u202e", PASSWORD, "admin", [], "text_contains_forbidden_character"),
        ("admin", "名", "short", "admin", [], "password_too_short"),
        ("admin", "名", "p" * 201, "admin", [], "password_too_long"),
        ("admin", "名", "p" * 10_000, "admin", [], "password_too_long"),
        ("admin", "名", "password\x00\x00", "admin", [], "text_contains_forbidden_character"),
        ("admin", "名", "password\ud800\ud800", "admin", [], "text_contains_forbidden_character"),
        ("admin", "名", 1234567890123, "admin", [], "invalid_input"),
        ("admin", "名", PASSWORD, "root", [], "role_unknown"),
        ("admin", "名", PASSWORD, None, [], "role_unknown"),
        ("admin", "名", PASSWORD, "accountant", [], "accountant_needs_villages"),
        ("admin", "名", PASSWORD, "admin", [VILLAGE], "role_not_scoped_to_villages"),
        ("admin", "名", PASSWORD, "platform", [VILLAGE], "role_not_scoped_to_villages"),
        ("admin", "名", PASSWORD, "auditor", None, "token_villages_null"),
        ("admin", "名", PASSWORD, "auditor", "320117107206", "invalid_input"),
        ("admin", "名", PASSWORD, "auditor", ["320117999999"], "village_not_registered"),
        ("admin", "名", PASSWORD, "auditor", ["32011710720\x00"], "village_code_invalid"),
    ],
)
def test_a_user_that_breaks_a_rule_is_refused_and_nothing_recorded(
    users: Registry, username: Any, name: Any, password: Any, role: Any, villages: Any, code: str
) -> None:
    error = refused(
        users, code, users.users.create_user, username, name, password, role, villages, ADMIN_BY
    )
    if isinstance(password, str) and len(password) > 3:
        assert password[:10] not in error.message  # never repeated


def test_a_second_user_of_the_same_name_is_refused(users: Registry) -> None:
    make_accountant(users)
    refused(
        users,
        "username_taken",
        users.users.create_user,
        "kuaiji",
        "另一个",
        PASSWORD,
        "auditor",
        [OTHER_VILLAGE],
        ADMIN_BY,
    )


@pytest.mark.parametrize("username", ["nobody", *HOSTILE, None, 12])
def test_commands_on_an_unknown_or_hostile_username_are_refused(
    users: Registry, username: Any
) -> None:
    make_accountant(users)
    refused(users, "user_not_found", users.users.disable_user, username, "why", ADMIN_BY)
    refused(users, "user_not_found", users.users.enable_user, username, ADMIN_BY)
    refused(users, "user_not_found", users.users.reset_password, username, PASSWORD, ADMIN_BY)


def test_bad_reasons_and_new_passwords_are_refused(users: Registry) -> None:
    make_accountant(users)
    refused(users, "invalid_input", users.users.disable_user, "kuaiji", " ", ADMIN_BY)
    refused(users, "invalid_input", users.users.disable_user, "kuaiji", None, ADMIN_BY)
    refused(users, "invalid_input", users.users.disable_user, "kuaiji", "r" * 301, ADMIN_BY)
    refused(
        users,
        "text_contains_forbidden_character",
        users.users.disable_user,
        "kuaiji",
        "why\x00",
        ADMIN_BY,
    )
    refused(users, "password_too_short", users.users.reset_password, "kuaiji", "x", ADMIN_BY)
    refused(
        users, "password_too_long", users.users.reset_password, "kuaiji", "x" * 10_000, ADMIN_BY
    )


def test_the_read_model_rebuilds_to_the_same_rows(users: Registry) -> None:
    make_accountant(users)
    users.users.create_user("admin", "管理员", PASSWORD, "admin", [], ADMIN_BY)
    users.users.sign_in("kuaiji", PASSWORD, "a")
    with pytest.raises(DomainError):
        users.users.sign_in("admin", "wrong password", "b")
    users.users.disable_user("admin", "left", ADMIN_BY)
    built = snapshot(users)
    with users.engine.connect() as conn:
        rows = {r.username: r for r in conn.execute(select(web_users))}
    assert rows["kuaiji"].last_sign_in_at is not None and rows["kuaiji"].consecutive_failures == 0
    assert rows["admin"].consecutive_failures == 1 and rows["admin"].disabled

    users.runner.rebuild()

    assert snapshot(users) == built


def test_a_row_inserted_into_the_read_model_grants_nothing(users: Registry) -> None:
    with users.engine.begin() as conn:
        conn.execute(
            insert(web_users).values(
                username="intruder",
                user_id=str(WebUser.create_id("intruder")),
                display_name="入侵者",
                role="admin",
                villages="",
                disabled=False,
                created_at=users.clock.now(),
                created_by="nobody",
                last_sign_in_at=None,
                consecutive_failures=0,
                source_notification_id=last(users),
            )
        )
    with pytest.raises(DomainError) as raised:
        users.users.sign_in("intruder", PASSWORD, "test")
    assert raised.value.code == "sign_in_failed"
    refused(users, "user_not_found", users.users.disable_user, "intruder", "x", ADMIN_BY)
