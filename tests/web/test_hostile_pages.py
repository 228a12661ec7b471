"""Every page of the workbench, asked for with hostile path and query values by a signed-in
user of each role: never a 500, never a traceback, never the hostile text unescaped, and nothing
recorded by a GET. Pages are taken from the app's routes, so a page added later is covered."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest
from starlette.routing import Route

from tests.web.conftest import WebClient

HOSTILE = [
    "x",
    "0",
    "-1",
    "99999999999999999999",
    "00000000-0000-0000-0000-000000000000",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e",
    "%00",
    "..%2f..%2fetc%2fpasswd",
    "a" * 700,
]
QUERY_NAMES = (
    "village", "month", "date", "asOf", "as_of", "format", "table", "status", "state", "kind",
    "page", "after", "point", "year", "period", "account", "version", "from", "to", "q", "next",
    "place",
)  # fmt: skip
PARAM = re.compile(r"\{([a-zA-Z_]+)(?::[a-z]+)?\}")


def get_paths(web: WebClient) -> list[str]:
    paths = []
    for route in web.app.routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            if route.path.startswith(("/static", "/graphql", "/healthz", "/signin")):
                continue
            paths.append(route.path)
    return sorted(set(paths))


def assert_safe(answer: httpx.Response, where: str) -> None:
    assert answer.status_code < 500, f"{where} answered {answer.status_code}"
    assert "Traceback" not in answer.text, where
    if answer.headers.get("content-type", "").startswith("text/html"):
        assert "<script>alert(1)</script>" not in answer.text, where
    else:  # JSON (an unknown path) or a download: never run as a page
        assert answer.headers["x-content-type-options"] == "nosniff", where


@pytest.mark.parametrize("role", ["accountant", "auditor", "platform", "admin"])
def test_no_page_fails_on_hostile_values(web: WebClient, role: str) -> None:
    client = web if role == "accountant" else web.as_role(role)
    before = web.registry.store.last_notification_id()
    paths = get_paths(web)
    assert "/" in paths and len(paths) > 3
    for path in paths:
        for value in HOSTILE:
            concrete = PARAM.sub(quote(value, safe=""), path)
            answer = client.get(concrete)
            assert_safe(answer, concrete)
            query = "&".join(f"{name}={quote(value, safe='')}" for name in QUERY_NAMES)
            answer = client.get(f"{concrete}?{query}")
            assert_safe(answer, f"{concrete}?…={value[:20]}")
    after = web.registry.store.last_notification_id()
    recorded = web.registry.store.recorder.select_notifications(before + 1, 10_000)
    topics = {r.topic.rsplit(".", 1)[-1] for r in recorded}
    # a GET records nothing but the reads of personal data an auditor makes (the API's own log)
    assert after == before or topics <= {"PersonalDataRead"}, topics
