"""The workbench's pages on the demo district (``qianwan bench --pages-only``): each page an
accountant and an auditor reach from the home page by following links, timed as a browser asks
for it (the whole app in process: session, CSRF, GraphQL in process, templates), p50/p95/max
per page. The issue's target: every page's p95 ≤ 200 ms on the demo district.

Pages are found by crawling, not listed: a page added later is timed too. A page is grouped by
its route (ids replaced by ``{id}``), and up to ``SAMPLES`` addresses of each are timed."""

from __future__ import annotations

import asyncio
import html
import math
import re
import secrets
import statistics
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import httpx

from api.app import create_app
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry

TARGET_P95_MS = 200
SAMPLES = 3  # addresses timed per kind of page
MAX_KINDS = 80
MAX_DEPTH = 3
BASE = "http://bench.local"
ADMIN = Provenance("admin:bench", "qianwan bench: the workbench's pages")
_HREF = re.compile(r'href="(/[^"#]*)"')
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NUMBER = re.compile(r"(?<=/)\d+(?:-\d+)?(?=/|$)")
_SKIP = ("/static", "/graphql", "/signout", "/signin", "/healthz")


def kind_of(path: str) -> str:
    """``/assets/3f…/contracts?x=1`` → ``/assets/{id}/contracts?x``: a page's kind."""
    route, _, query = path.partition("?")
    route = _NUMBER.sub("{n}", _ID.sub("{id}", route))
    names = sorted({pair.split("=", 1)[0] for pair in query.split("&") if pair})
    return route + ("?" + "&".join(names) if names else "")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Browser:
    def __init__(self, registry: Registry) -> None:
        self.app = create_app(registry)
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url=BASE, follow_redirects=False
        )

    async def sign_in(self, username: str, password: str) -> None:
        form = await self.client.get("/signin")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None, "the sign-in page has no CSRF token"
        answer = await self.client.post(
            "/signin", data={"csrf": token.group(1), "username": username, "password": password}
        )
        if answer.status_code != 303:
            raise RuntimeError(f"bench user {username} could not sign in: {answer.status_code}")

    async def crawl(self) -> dict[str, list[str]]:
        """Addresses by kind of page, breadth first from the home page."""
        kinds: OrderedDict[str, list[str]] = OrderedDict()
        frontier = ["/"]
        seen = {"/"}
        for _ in range(MAX_DEPTH + 1):
            following: list[str] = []
            for path in frontier:
                answer = await self.client.get(path)
                if answer.status_code != 200:
                    continue
                kind = kind_of(path)
                if kind not in kinds and len(kinds) >= MAX_KINDS:
                    continue
                addresses = kinds.setdefault(kind, [])
                if len(addresses) < SAMPLES:
                    addresses.append(path)
                if "text/html" not in answer.headers.get("content-type", ""):
                    continue
                for found in _HREF.findall(answer.text):
                    link = html.unescape(found)
                    if link in seen or link.startswith(_SKIP):
                        continue
                    seen.add(link)
                    if len(kinds.get(kind_of(link), ())) < SAMPLES:
                        following.append(link)
            frontier = following
        return kinds

    async def time(self, kinds: dict[str, list[str]], rounds: int) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for kind, addresses in kinds.items():
            timings: list[float] = []
            for _ in range(rounds):
                for path in addresses:
                    start = time.perf_counter()
                    answer = await self.client.get(path)
                    timings.append((time.perf_counter() - start) * 1000)
                    if answer.status_code != 200:
                        raise RuntimeError(f"{path} answered {answer.status_code}")
            found[kind] = {
                "count": len(timings),
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
                "max_ms": round(max(timings), 1),
            }
        return found


def busiest_demo_village() -> str:
    """The demo village with the most revitalized assets (its pages have the most to show)."""
    from collections import Counter

    from scripts.demo import read_assets

    counts = Counter(asset["village_code"] for asset in read_assets())
    return str(counts.most_common(1)[0][0])


def demo_pages(registry: Registry, rounds: int, say: Callable[[str], None]) -> dict[str, Any]:
    """Load the demo district into ``registry`` (empty) and time its pages."""
    from scripts.demo import load_demo

    say("pages: loading the demo district …")
    started = time.perf_counter()
    load_demo(registry, progress=False)
    say(f"  loaded in {time.perf_counter() - started:.0f} s; crawling the workbench …")
    found = pages_phase(registry, [busiest_demo_village()], rounds, say)
    found["events"] = registry.store.last_notification_id()
    return found


def pages_phase(
    registry: Registry, villages: list[str], rounds: int = 10, say: Callable[[str], None] = print
) -> dict[str, Any]:
    """Time every page an accountant of ``villages`` and a district auditor reach."""
    users = {
        "accountant": ("bench_kuaiji", "accountant", villages),
        "auditor": ("bench_shenji", "auditor", []),
    }
    result: dict[str, Any] = {"rounds": rounds, "roles": {}}

    async def run() -> None:
        for role, (username, role_name, scope) in users.items():
            password = secrets.token_urlsafe(16)
            registry.users.create_user(username, f"bench {role}", password, role_name, scope, ADMIN)
            browser = Browser(registry)
            try:
                await browser.sign_in(username, password)
                kinds = await browser.crawl()
                say(f"pages: {role}: {len(kinds)} kinds of page found; timing …")
                result["roles"][role] = await browser.time(kinds, rounds)
            finally:
                await browser.client.aclose()

    asyncio.run(run())
    worst = max(
        (p["p95_ms"] for pages in result["roles"].values() for p in pages.values()), default=0.0
    )
    result["worst_p95_ms"] = worst
    return result


def page_lines(found: dict[str, Any]) -> list[str]:
    lines = ["", f"workbench pages ({found['rounds']} rounds each, in process)"]
    lines.append(
        f"  {'role':10} {'page':52} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    )
    for role, pages in found["roles"].items():
        for kind, t in sorted(pages.items(), key=lambda item: -item[1]["p95_ms"]):
            lines.append(
                f"  {role:10} {kind[:52]:52} {t['count']:>6} {t['p50_ms']:>8.1f} "
                f"{t['p95_ms']:>8.1f} {t['max_ms']:>8.1f}"
            )
    verdict = "met" if found["worst_p95_ms"] <= TARGET_P95_MS else "NOT met"
    lines.append(
        f"  worst page p95 {found['worst_p95_ms']:.1f} ms vs {TARGET_P95_MS} ms target: {verdict}"
    )
    return lines
