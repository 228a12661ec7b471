"""The files the pages load ship in the package (api/web/static/vendor/), unchanged from their
npm packages: each one's sha384 is the subresource-integrity hash the GraphQL page pinned when
it loaded them from a CDN, and each README.txt names it. The GraphQL page loads nothing else,
and runs no inline script."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from api.graphiql import GRAPHIQL_CSP, GRAPHIQL_HTML, graphiql_page
from api.web.paths import STATIC_DIR, STATIC_PREFIX

VENDOR = STATIC_DIR / "vendor"

# As pinned by the page before the files were vendored (graphiql 3.8.3, react 18.2.0).
PINNED = {
    "graphiql/graphiql.min.js": (
        "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"
    ),
    "graphiql/graphiql.min.css": (
        "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM"
    ),
    "graphiql/react.production.min.js": (
        "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"
    ),
    "graphiql/react-dom.production.min.js": (
        "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"
    ),
    # htmx.org 2.0.11, dist/htmx.min.js as the npm registry gives it
    "htmx/htmx.min.js": "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg",
    # echarts 5.6.0, dist/echarts.min.js as the npm registry gives it (the dashboard's charts)
    "echarts-5.6.0/echarts.min.js": (
        "sha384-pPi0zxBAoDu6+JXW/C68UZLvBUUtU+7zonhif43rqj7pxsGyqyqzcian2Rj37Rss"
    ),
}
LICENSES = (
    "graphiql/LICENSE.graphiql",
    "graphiql/LICENSE.react",
    "graphiql/LICENSE.react-dom",
    "htmx/LICENSE",
    "echarts-5.6.0/LICENSE",
    "echarts-5.6.0/LICENSE-d3",
)


def sri(path: Path) -> str:
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


@pytest.mark.parametrize("name", sorted(PINNED))
def test_each_vendored_file_is_the_one_pinned(name: str) -> None:
    path = VENDOR / name
    assert sri(path) == PINNED[name]
    readme = (path.parent / "README.txt").read_text(encoding="utf-8")
    assert f"{path.name} " in readme and PINNED[name] in readme


@pytest.mark.parametrize("name", LICENSES)
def test_each_vendored_package_keeps_its_license(name: str) -> None:
    text = (VENDOR / name).read_text(encoding="utf-8")
    assert re.search(r"MIT License|Zero-Clause BSD|Apache License|Redistribution and use", text)
    assert re.search(r"Permission|permission", text)


def test_echarts_keeps_its_notice() -> None:
    """Apache-2.0 asks that the NOTICE travel with the work."""
    notice = (VENDOR / "echarts-5.6.0" / "NOTICE").read_text(encoding="utf-8")
    assert "Apache ECharts" in notice and "The Apache Software Foundation" in notice


@pytest.mark.parametrize("csrf", [None, "abc123"])
def test_the_page_loads_only_its_own_files(csrf: str | None) -> None:
    page = graphiql_page(csrf)
    sources = re.findall(r'<script src="([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert len(sources) == 4 and len(styles) == 2
    for url in sources + styles:
        assert url.startswith(f"{STATIC_PREFIX}/")
        assert (STATIC_DIR / url.removeprefix(f"{STATIC_PREFIX}/")).is_file(), url
    assert "//" not in page.replace("<!doctype html>", "")  # no URL to another host
    assert "unpkg" not in page
    assert len(re.findall(r"<script\b", page)) == len(sources)  # no inline script
    assert re.search(r"\son[a-z]+\s*=", page) is None  # no inline handler
    assert '<html lang="zh-CN">' in page and "GraphQL 控制台" in page


def test_signed_in_the_page_carries_the_csrf_token_and_no_token_form() -> None:
    page = graphiql_page("abc123")
    assert '<meta name="qianwan-csrf" content="abc123">' in page
    assert 'id="token-form"' not in page


def test_the_csrf_token_cannot_break_out_of_its_attribute() -> None:
    page = graphiql_page('"><script src="/x.js"></script>')
    assert '<script src="/x.js">' not in page
    assert 'content="&quot;&gt;&lt;script' in page


def test_not_signed_in_the_page_asks_for_a_token_it_never_submits() -> None:
    assert graphiql_page(None) == GRAPHIQL_HTML
    assert "qianwan-csrf" not in GRAPHIQL_HTML
    (form,) = re.findall(r'<form id="token-form".*?</form>', GRAPHIQL_HTML, re.DOTALL)
    assert 'method="post"' in form  # never a GET: the form cannot put a token in a URL
    assert 'type="password"' in form and "使用令牌" in form and "API 令牌" in form
    assert re.search(r"<input[^>]*\bname=", form) is None  # nothing is sent even without JS


def test_the_policy_allows_this_server_only() -> None:
    policy = dict(part.split(" ", 1) for part in GRAPHIQL_CSP.split("; "))
    assert policy == {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "font-src": "'self' data:",
        "img-src": "'self' data:",
        "connect-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
