"""Signing in and out of the workbench with a named user's password, as a browser does: the
cookie's attributes, every failure recorded as an event and answered alike, the lockout, CSRF
on the sign-in form, and GraphQL (GraphiQL) taking the session with its CSRF header."""

from __future__ import annotations

import re

import httpx
import pytest

from api.web.session import SESSION_COOKIE
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry
from tests.support import VILLAGE
from tests.web.conftest import WebClient, csrf_in

ADMIN = Provenance("admin:test", "test users")
PASSWORD = "correct horse battery"


def make_user(registry: Registry, username: str = "kuaiji", role: str = "accountant") -> None:
    villages = [VILLAGE] if role == "accountant" else []
    registry.users.create_user(username, "张会计", PASSWORD, role, villages, ADMIN)


def event_names(registry: Registry, after: int) -> list[str]:
    """The names of the events recorded after notification ``after``."""
    records = registry.store.recorder.select_notifications(after + 1, 1000)
    return [r.topic.rsplit(".", 1)[-1] for r in records]


def sign_in(client: WebClient, username: str, password: str, next_path: str = "") -> httpx.Response:
    form = client.get("/signin" + next_path)
    assert form.status_code == 200
    token = csrf_in(form.text)
    assert token is not None
    return client.request(
        "POST",
        "/signin" + next_path,
        data={"csrf": token, "username": username, "password": password},
    )


def test_a_user_signs_in_and_out(web: WebClient) -> None:
    make_user(web.registry)
    browser = web.anonymous()
    before = web.registry.store.last_notification_id()
    answer = sign_in(browser, "kuaiji", PASSWORD, "?next=/graphql")
    assert answer.status_code == 303 and answer.headers["location"] == "/graphql"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Secure" not in cookie  # plain http here; behind HTTPS it is Secure
    names = event_names(web.registry, before)
    assert "SignedIn" in names and "Started" in names
    home = browser.get("/")
    assert home.status_code == 200 and "张会计" in home.text
    token = csrf_in(home.text)
    out = browser.request("POST", "/signout", data={"csrf": token})
    assert out.status_code == 303 and out.headers["location"].startswith("/signin")
    assert browser.get("/").status_code == 303  # the session is ended in the log


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(web: WebClient) -> None:
    make_user(web.registry)
    before = web.registry.store.last_notification_id()
    wrong = sign_in(web.anonymous(), "kuaiji", "not the password")
    unknown = sign_in(web.anonymous(), "nobody", "not the password")
    for answer in (wrong, unknown):
        assert answer.status_code == 400
        assert "用户名或密码不正确" in answer.text
        assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    names = event_names(web.registry, before)
    assert names.count("SignInFailed") == 1 and len(names) == 2  # both failures recorded


def test_five_failures_lock_the_account(web: WebClient) -> None:
    make_user(web.registry)
    for _ in range(5):
        assert sign_in(web.anonymous(), "kuaiji", "wrong password!").status_code == 400
    locked = sign_in(web.anonymous(), "kuaiji", PASSWORD)
    assert locked.status_code == 400
    assert "account_locked" not in locked.text or "锁定" in locked.text
    assert SESSION_COOKIE not in locked.headers.get("set-cookie", "")


def test_the_sign_in_form_needs_its_csrf_cookie(web: WebClient) -> None:
    make_user(web.registry)
    before = web.registry.store.last_notification_id()
    forged = web.anonymous().request(
        "POST", "/signin", data={"csrf": "x", "username": "kuaiji", "password": PASSWORD}
    )
    assert forged.status_code == 403
    assert web.registry.store.last_notification_id() == before


@pytest.mark.parametrize(
    "username", ["kuaiji\x00", "k" * 10_000, "<script>alert(1)</script>", "\u202ekuaiji"]
)
def test_hostile_sign_ins_are_refused_with_a_page(web: WebClient, username: str) -> None:
    make_user(web.registry)
    answer = sign_in(web.anonymous(), username, PASSWORD)
    assert answer.status_code == 400 and "<html" in answer.text
    assert "<script>alert" not in answer.text


def test_graphql_takes_the_session_with_its_csrf_header(web: WebClient) -> None:
    make_user(web.registry)
    browser = web.anonymous()
    sign_in(browser, "kuaiji", PASSWORD)
    page = browser.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    found = re.search(r'name="qianwan-csrf" content="([^"]+)"', page.text)
    assert found is not None
    query = {"query": "{ villages(first: 1) { edges { node { code } } } }"}
    ok = browser.request("POST", "/graphql", json=query, headers={"x-csrf-token": found.group(1)})
    assert ok.status_code == 200 and "errors" not in ok.json()
    forged = browser.request("POST", "/graphql", json=query)
    assert forged.status_code == 403
    assert forged.json()["errors"][0]["extensions"]["code"] == "csrf_token_invalid"


def test_a_flood_of_failed_sign_ins_from_one_client_stops_being_recorded(
    web: WebClient,
) -> None:
    browser = web.anonymous()
    for n in range(20):
        assert sign_in(browser, f"nobody{n}", "not the password").status_code == 400
    before = web.registry.store.last_notification_id()
    refused = sign_in(browser, "nobody", "not the password")
    assert refused.status_code == 429 and "15分钟后再试" in refused.text
    assert web.registry.store.last_notification_id() == before  # refused without a look
