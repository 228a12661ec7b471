"""Browser tests: Debian's Chromium (never a browser Playwright downloads) driving the real app
served by uvicorn on a free 127.0.0.1 port, with every request to anywhere else blocked.

- ``live_server`` (session): a registry on a temp SQLite file, seeded with the test district
  (tests/support.py ``seed_places``) plus a leased building, served in a background thread.
  Not the demo district: ``scripts.demo.load_demo`` takes 26 s on SQLite on an idle 2-core
  machine (75 s under load), too long for every run; a test that needs it can serve it with
  ``serving(registry, started)``.
- ``browser`` (module): headless Chromium at /usr/bin/chromium (QIANWAN_CHROMIUM to override).
  Module-scoped on purpose: Playwright's sync API leaves its event loop marked running in the
  main thread while it is started, which would break the asyncio.run of other tests.
- ``page``: a fresh context whose requests go to the live server only; the others are aborted
  and listed in ``blocked_requests`` (a test asserts it stays empty); ``served_requests`` every
  request that reached the server, ``page_errors`` every console error and uncaught exception
  (a CSP violation is one).
- ``screenshot(page, name)``: a PNG in var/screenshots/ (gitignored), to look at.

Every test here is marked ``browser``; QIANWAN_TEST_BROWSER=off skips them (and scripts/test.sh
then installs no browser)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Route,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from api.app import create_app
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry, bootstrap
from tests.conftest import make_settings
from tests.support import OTHER_VILLAGE, VILLAGE, leased_building, seed_places

BROWSER_ON = os.environ.get("QIANWAN_TEST_BROWSER", "on") != "off"
CHROMIUM = Path(os.environ.get("QIANWAN_CHROMIUM", "/usr/bin/chromium"))
HOST = "127.0.0.1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SERVER_START_SECONDS = 20.0
ISSUER = Provenance("admin:browser-tests")
SEEDED_VILLAGES = (VILLAGE, OTHER_VILLAGE)
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser/ ``browser``; skip them when the browser is off."""
    skip = pytest.mark.skip(reason="QIANWAN_TEST_BROWSER=off")
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not BROWSER_ON:
                item.add_marker(skip)


@dataclass
class LiveServer:
    """The app on a real socket: ``url`` is ``http://127.0.0.1:<port>``."""

    registry: Registry
    host: str
    port: int
    started_in_seconds: float

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def serves(self, url: str) -> bool:
        """True for a URL of this server (scheme, host and port)."""
        parts = urlsplit(url)
        return (parts.scheme, parts.hostname, parts.port) == ("http", self.host, self.port)

    def token(
        self, role: str = "accountant", villages: Sequence[str] | None = None, name: str = ""
    ) -> str:
        """A fresh API token's secret (an accountant's for the seeded villages by default)."""
        chosen = list(villages) if villages is not None else list(SEEDED_VILLAGES)
        if role != "accountant" and villages is None:
            chosen = []
        issued = self.registry.access.issue_token(role, chosen, name or f"浏览器 {role}", ISSUER)
        return issued.secret


def seed(registry: Registry) -> None:
    """What makes the pages worth looking at: the test district and a leased building."""
    seed_places(registry.places, registry.policies)
    leased_building(registry.assets)


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    return sock


@contextmanager
def serving(registry: Registry, started: float) -> Iterator[LiveServer]:
    """``registry``'s app served by uvicorn in a background thread until the block ends."""
    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(registry), host=HOST, port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(registry, HOST, port, time.perf_counter() - started)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        registry.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The test district (two villages, a leased building): starts in about a second."""
    started = time.perf_counter()
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("live"))
    registry = bootstrap(settings)
    seed(registry)
    with serving(registry, started) as server:
        yield server


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run bash scripts/test.sh (it installs Debian's "
            "chromium), or skip the browser tests with QIANWAN_TEST_BROWSER=off"
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield browser
    browser.close()


@dataclass
class Traffic:
    """What the page asked for: served by the live server, or blocked."""

    served: list[Request] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def blocked_requests(traffic: Traffic) -> list[str]:
    """URLs the page tried to reach that are not the live server's (aborted)."""
    return traffic.blocked


@pytest.fixture
def served_requests(traffic: Traffic) -> list[Request]:
    """Every request the page sent to the live server, in order."""
    return traffic.served


@pytest.fixture
def page_errors() -> list[str]:
    """Console errors and uncaught exceptions of the page (CSP violations among them)."""
    return []


@contextmanager
def offline_page(
    browser: Browser,
    server: LiveServer,
    blocked: list[str],
    errors: list[str],
    served: list[Request] | None = None,
    downloads: bool = False,
) -> Iterator[Page]:
    """A page of a fresh context on ``server`` (relative URLs: ``page.goto("/graphql")``): every
    request to anywhere else is aborted and noted in ``blocked``; console errors and uncaught
    exceptions (CSP violations among them) go to ``errors``, except the browser's note of a
    refused form's 400, which is the page working as it should."""
    context = browser.new_context(
        base_url=server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 800},
        accept_downloads=downloads,
    )

    def only_this_server(route: Route) -> None:
        request = route.request
        if server.serves(request.url):
            if served is not None:
                served.append(request)
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort("blockedbyclient")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and "status of 400" not in message.text:
            errors.append(message.text)

    context.route("**/*", only_this_server)
    page = context.new_page()
    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        with suppress(PlaywrightError):  # already closed with its browser
            context.close()


def sign_in(page: Page, username: str, password: str, start: str = "/signin") -> None:
    """Sign in through the form, as a person does."""
    page.goto(start)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def page(
    browser: Browser, live_server: LiveServer, traffic: Traffic, page_errors: list[str]
) -> Iterator[Page]:
    """A page of a fresh context on the live server (``offline_page``)."""
    with offline_page(browser, live_server, traffic.blocked, page_errors, traffic.served) as page:
        yield page


def screenshot(page: Page, name: str) -> Path:
    """Save what ``page`` shows as var/screenshots/<name>.png and return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
