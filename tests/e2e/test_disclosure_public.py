"""The public role reads the demo district's published disclosures (村务公开) as the public
pages do (GraphQL in process as PUBLIC_PRINCIPAL): never an elder's name or ID number, never a
natural person's name as a counterparty, never a member of a finance group; and it browses the
places' names (docs/disclosure.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from api.auth.public import PUBLIC_PRINCIPAL
from api.schema import build_schema
from api.web.graphql import run_as
from qianwan.bootstrap import Registry
from tests.e2e.test_disclosure import FIELDS

DATA = Path(__file__).resolve().parents[2] / "scripts" / "demo_data"
PLACES = """
{ villages(first: 100) { edges { node { code name town { name } } } } }
"""
PUBLISHED = f"""
query($village: String!) {{ publishedDisclosures(villageCode: $village) {{ {FIELDS} }} }}"""


def secrets() -> set[str]:
    meals = json.loads((DATA / "lishui_meals.json").read_text(encoding="utf-8"))
    assets = json.loads((DATA / "lishui_assets.json").read_text(encoding="utf-8"))
    found = {e["name"] for e in meals["elders"]} | {e["id_number"] for e in meals["elders"]}
    for asset in assets["assets"]:
        for step in asset.get("steps", []):
            if step.get("counterparty_kind") == "person":
                found.add(step["counterparty_name"])
    return found


def public(registry: Registry, document: str, variables: dict[str, Any] | None = None) -> Any:
    answer = run_as(registry, build_schema(registry.clock), PUBLIC_PRINCIPAL, document, variables)
    assert answer.errors == [], answer.errors
    return answer.data


def test_the_public_reads_every_published_disclosure_with_no_personal_data(
    demo: Registry,
) -> None:
    places = public(demo, PLACES)
    villages = [e["node"]["code"] for e in places["villages"]["edges"]]
    assert len(villages) == 32
    answers = [public(demo, PUBLISHED, {"village": code}) for code in villages]
    published = [d for a in answers for d in a["publishedDisclosures"]]
    assert len(published) >= 30 and {d["state"] for d in published} == {"published"}
    assert all(d["review"]["members"] is None for d in published)
    whole = json.dumps(answers, ensure_ascii=False)
    hidden = secrets()
    assert len(hidden) > 250
    assert [s for s in hidden if s in whole] == []
    assert "理财组" not in whole  # the demo's finance group members
    persons = [
        lease["counterparty"]
        for d in published
        for lease in d["leases"]
        if lease["counterpartyKind"] == "person"
    ]
    assert persons and all(p.endswith("*") and len(p) == 2 for p in persons)
