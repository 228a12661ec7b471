"""The GraphQL console in a real browser with no internet: every file it needs comes from this
server, GraphiQL is mounted (and the schema fetched) only once an API token is set, and the
token goes in the Authorization header, never in a URL."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Request, Route, expect

from api.graphiql import graphiql_page
from tests.browser.conftest import LiveServer, screenshot

VILLAGES = "{ villages(first: 3) { totalCount edges { node { code name townCode } } } }"
RESULT = ".graphiql-response .CodeMirror"
WAIT_MS = 20_000


def graphql_posts(requests: list[Request]) -> list[Request]:
    return [r for r in requests if r.method == "POST" and r.url.endswith("/graphql")]


def set_token(page: Page, token: str) -> None:
    page.get_by_label("API 令牌").fill(token)
    page.get_by_role("button", name="使用令牌").click()


def run_query(page: Page, query: str) -> None:
    """Put ``query`` in GraphiQL's editor (CodeMirror) and run it."""
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    expect(editor).to_be_visible(timeout=WAIT_MS)
    editor.evaluate("(el, q) => el.CodeMirror.setValue(q)", query)
    page.locator(".graphiql-execute-button").click()


def test_the_console_runs_a_query_with_a_token_and_nothing_from_the_internet(
    page: Page,
    live_server: LiveServer,
    served_requests: list[Request],
    blocked_requests: list[str],
    page_errors: list[str],
) -> None:
    # given the console, opened without a token
    page.goto("/graphql")
    expect(page.get_by_role("heading", name="GraphQL 控制台")).to_be_visible()
    expect(page.get_by_role("link", name="← 工作台")).to_have_attribute("href", "/")
    # then GraphiQL waits for the token: nothing is asked of the API yet
    page.wait_for_load_state("networkidle")
    assert page.locator(".graphiql-container").count() == 0
    assert graphql_posts(served_requests) == []
    screenshot(page, "graphiql-token-form")

    # when a token is set
    token = live_server.token(name="控制台测试")
    set_token(page, token)

    # then the schema is fetched with it, and a query shows the seeded villages
    expect(page.locator(".graphiql-container")).to_be_visible(timeout=WAIT_MS)
    run_query(page, VILLAGES)
    result = page.locator(RESULT)
    expect(result).to_contain_text("乌村桥村", timeout=WAIT_MS)
    expect(result).to_contain_text("测试村")
    expect(result).to_contain_text('"totalCount": 2')
    screenshot(page, "graphiql-result")

    posts = graphql_posts(served_requests)
    assert len(posts) >= 2  # the schema, then the query
    assert {p.headers.get("authorization") for p in posts} == {f"Bearer {token}"}
    assert "IntrospectionQuery" in (posts[0].post_data or "")
    assert all(token not in r.url for r in served_requests)
    assert token not in page.url
    # everything came from the live server: no request left 127.0.0.1, nothing was refused
    assert blocked_requests == []
    assert any(r.url.endswith("/static/vendor/graphiql/graphiql.min.js") for r in served_requests)
    assert page_errors == []


def test_a_new_token_remounts_the_console_and_a_reload_keeps_it_in_the_tab(
    page: Page,
    live_server: LiveServer,
    served_requests: list[Request],
    blocked_requests: list[str],
) -> None:
    first, second = live_server.token(name="第一"), live_server.token(name="第二")
    page.goto("/graphql")
    set_token(page, first)
    expect(page.locator(".graphiql-container")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    introspections = len(graphql_posts(served_requests))
    assert introspections >= 1

    # when another token is set, the schema is fetched again with it
    set_token(page, second)
    expect(page.get_by_role("status")).to_contain_text("已使用令牌")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelector('.graphiql-container') !== null")
    posts = graphql_posts(served_requests)
    assert len(posts) > introspections
    assert posts[-1].headers.get("authorization") == f"Bearer {second}"
    assert "IntrospectionQuery" in (posts[-1].post_data or "")

    # the token is in the tab's sessionStorage, not in a URL: a reload mounts GraphiQL with it
    stored = page.evaluate("() => JSON.stringify(Object.values(sessionStorage))")
    assert second in json.loads(stored)
    assert second not in page.evaluate("() => JSON.stringify(Object.values(localStorage))")
    page.reload()
    expect(page.locator(".graphiql-container")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    assert graphql_posts(served_requests)[-1].headers.get("authorization") == f"Bearer {second}"

    # and forgetting it unmounts the console
    page.get_by_role("button", name="清除令牌").click()
    expect(page.locator(".graphiql-container")).to_have_count(0)
    assert page.evaluate("() => sessionStorage.length") == 0
    assert all(second not in r.url and first not in r.url for r in served_requests)
    assert blocked_requests == []


def test_a_signed_in_console_posts_with_the_session_cookie_and_its_csrf_token(
    page: Page, live_server: LiveServer, served_requests: list[Request]
) -> None:
    # given the page as the server renders it for a signed-in session (wired by the workbench)
    def signed_in_page(route: Route) -> None:
        if route.request.method == "GET":
            route.fulfill(content_type="text/html", body=graphiql_page("csrf-0123abcd"))
        else:
            route.fallback()

    page.context.add_cookies([{"name": "qianwan_session", "value": "s1", "url": live_server.url}])
    page.route("**/graphql", signed_in_page)
    page.goto("/graphql")

    # then GraphiQL is mounted at once, with no token form, and asks for the schema with the
    # session cookie and the CSRF token (no Authorization header)
    expect(page.locator(".graphiql-container")).to_be_visible(timeout=WAIT_MS)
    assert page.get_by_label("API 令牌").count() == 0
    page.wait_for_load_state("networkidle")
    (post, *_) = graphql_posts(served_requests)
    headers = post.all_headers()
    assert headers.get("x-csrf-token") == "csrf-0123abcd"
    assert "authorization" not in headers
    assert "qianwan_session=s1" in headers.get("cookie", "")
