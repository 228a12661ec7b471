"""The public notice board over the whole demo district (SQLite; the pages' storage behaviour
is tested on both databases in test_disclosure_public.py): September 2026 published for every
village with enrolled elders or a lease to a natural person, then every public page and sheet
read anonymously. No demo elder's name or ID number, and no person lessee's name, appears in
any of them; the people are there all the same, as counts and masks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from domain.shared.errors import DomainError
from qianwan.bootstrap import Registry, bootstrap
from scripts.demo import load_demo, read_assets
from scripts.demo_meals_plan import read_meals
from tests.conftest import make_settings
from tests.web.conftest import WebClient
from tests.web.disclosure_support import ACCOUNTANT, MEMBERS, xlsx_text

PERIOD = "2026-09"  # the last month of the demo's meals (July to September 2026)


def people() -> tuple[set[str], set[str], set[str]]:
    """The demo's elders' names and ID numbers, and its person lessees' names."""
    elders = read_meals()["elders"]
    lessees = {
        step["counterparty_name"]
        for asset in read_assets()
        for step in asset.get("steps", [])
        if step.get("counterparty_kind") == "person" and step.get("counterparty_name")
    }
    return {e["name"] for e in elders}, {e["id_number"] for e in elders}, lessees


def villages_with_people() -> set[str]:
    with_lessee = {
        asset["village_code"]
        for asset in read_assets()
        for step in asset.get("steps", [])
        if step.get("counterparty_kind") == "person"
    }
    return with_lessee | {e["village_code"] for e in read_meals()["elders"]}


def publish(registry: Registry, village: str) -> None:
    """September's disclosure drafted, reviewed and published, unless the demo has it already
    (or the village's schedule is quarterly: then the third quarter)."""
    app, today = registry.disclosure, registry.clock.today()
    for period in (PERIOD, "2026-Q3"):
        try:
            did = app.draft(village, period, None, None, ACCOUNTANT)
        except DomainError:
            continue
        app.review(did, today, MEMBERS, True, None, ACCOUNTANT)
        app.publish(did, today, ACCOUNTANT)
        return


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("demo-public"))
    registry = bootstrap(settings)
    try:
        load_demo(registry, progress=False)
        for village in sorted(villages_with_people()):
            publish(registry, village)
        yield registry
    finally:
        registry.close()


def test_no_demo_elder_or_person_lessee_on_any_public_page(demo: Registry) -> None:
    reader = WebClient(create_app(demo), demo, signed_in=False)
    before = demo.store.last_notification_id()
    texts: dict[str, str] = {}
    index = reader.get("/public")
    assert index.status_code == 200
    texts["/public"] = index.text
    villages = sorted(set(_links(index.text, "/public/villages/")))
    assert villages, "no village has a published disclosure"
    notices: list[str] = []
    for code in villages:
        page = reader.get(f"/public/villages/{code}")
        assert page.status_code == 200 and "set-cookie" not in page.headers
        texts[code] = page.text
        notices.extend(_links(page.text, "/public/disclosures/"))
    assert len(set(notices)) >= len(villages_with_people())
    for did in sorted(set(notices)):
        for path in (f"/public/disclosures/{did}", f"/public/disclosures/{did}?size=a3"):
            answer = reader.get(path)
            assert answer.status_code == 200 and "set-cookie" not in answer.headers, path
            texts[path] = answer.text
        sheet = reader.get(f"/public/disclosures/{did}.xlsx")
        assert sheet.status_code == 200
        texts[f"{did}.xlsx"] = xlsx_text(sheet.content)

    names, id_numbers, lessees = people()
    assert names and id_numbers and lessees
    for where, text in texts.items():
        for secret in names | id_numbers | lessees | set(MEMBERS):
            assert secret not in text, f"{secret} on {where}"
    shown = "\n".join(texts.values())
    masks = {name[0] + "*" for name in lessees}
    assert any(mask in shown for mask in masks), "no masked lessee: the check above proves nothing"
    assert any(_elders_served(t) for t in texts.values()), "no elder counted anywhere"
    assert demo.store.last_notification_id() == before


def _links(html: str, prefix: str) -> list[str]:
    found: list[str] = []
    start = 0
    while (at := html.find(f'href="{prefix}', start)) >= 0:
        end = html.find('"', at + 6 + len(prefix))
        value = html[at + 6 + len(prefix) : end]
        if value and "?" not in value and not value.endswith(".xlsx"):
            found.append(value)
        start = end
    return found


def _elders_served(html: str) -> Any:
    marker = '<section class="notice-section" id="meals">'
    if marker not in html:
        return False
    cell = html.split(marker, 1)[1].split('<td class="num">', 1)[1].split("<", 1)[0]
    return cell.strip() not in ("", "0")
