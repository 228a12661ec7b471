"""The dashboard in a real browser with no internet: the district platform signs in, opens the
district's dashboard, every chart is drawn by the vendored ECharts (a canvas with pixels on it)
with no request leaving the test server and no script error, and a click on a town's bar opens
that town's dashboard. Screenshots go to var/screenshots/ (docs/images/dashboard.png is one)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from qianwan.bootstrap import bootstrap
from tests.browser.conftest import ISSUER, LiveServer, offline_page, screenshot, serving, sign_in
from tests.conftest import make_settings
from tests.integration.test_dashboard import with_findings
from tests.support import DISTRICT, TOWN, seed_places
from tests.users_support import CHEAP, PASSWORD

USERNAME = "pingtai"
CHARTS = 7
# Pixels drawn on each chart's canvas (not transparent): an empty canvas has none.
DRAWN = """() => Array.from(document.querySelectorAll('.plot canvas')).map(c => {
  const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let drawn = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { drawn += 1; } }
  return drawn;
})"""
TOWN_BAR = """(town) => {
  const chart = echarts.getInstanceByDom(document.getElementById('chart-areas'));
  const areas = JSON.parse(document.getElementById('dashboard-data').textContent).areas;
  const index = areas.findIndex(a => a.code === town);
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [areas[index].meals / 2, index]);
  const box = document.getElementById('chart-areas').getBoundingClientRect();
  return [box.left + window.scrollX + x, box.top + window.scrollY + y];
}"""


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The district of the summary's tests (rent, land sold and paid, two canteens' May meals)
    with a refused second claim and meals after a death."""
    started = time.perf_counter()
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("dashboard"))
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    with_findings(registry)
    registry.users.hasher = CHEAP
    registry.users.create_user(USERNAME, "区平台", PASSWORD, "platform", [], ISSUER)
    with serving(registry, started) as server:
        yield server


@pytest.fixture
def dashboard_page(
    browser: Browser,
    dashboard_server: LiveServer,
    blocked_requests: list[str],
    page_errors: list[str],
) -> Iterator[Page]:
    with offline_page(browser, dashboard_server, blocked_requests, page_errors) as page:
        page.set_viewport_size({"width": 1440, "height": 900})
        yield page


def test_the_platform_sees_the_charts_and_opens_a_town(
    dashboard_page: Page, blocked_requests: list[str], page_errors: list[str]
) -> None:
    page = dashboard_page
    sign_in(page, USERNAME, PASSWORD)
    page.get_by_role("link", name="数据大屏").click()
    page.get_by_label("起始月份").fill("2024-03")
    page.get_by_label("截止月份").fill("2024-08")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("body")).to_have_attribute("data-charts-drawn", str(CHARTS))
    expect(page.get_by_role("cell", name="2024-05", exact=True)).to_be_visible()

    drawn = page.evaluate(DRAWN)
    assert len(drawn) == CHARTS and all(n > 1000 for n in drawn), drawn
    screenshot(page, "dashboard")

    # a click on the town's bar opens the town's dashboard, by village
    page.locator("#chart-areas").scroll_into_view_if_needed()
    x, y = page.evaluate(TOWN_BAR, TOWN)
    page.mouse.click(x - page.evaluate("window.scrollX"), y - page.evaluate("window.scrollY"))
    page.wait_for_url(f"**/dashboard?place={TOWN}*")
    expect(page.locator("body")).to_have_attribute("data-charts-drawn", str(CHARTS))
    expect(page.get_by_role("link", name="返回全区")).to_be_visible()
    assert f"place={DISTRICT}" in (
        page.get_by_role("link", name="返回全区").get_attribute("href") or ""
    )
    screenshot(page, "dashboard-town")

    assert blocked_requests == []  # nothing but the test server was asked for anything
    assert page_errors == []  # no script error, no CSP violation
