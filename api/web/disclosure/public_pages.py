"""The public notice board (村务公开栏), for anyone without signing in: the places that have
published disclosures (/public), a village's published disclosures (/public/villages/{code}),
one notice (/public/disclosures/{id}, ``?size=a3`` the wall-notice print, ``.xlsx`` the
sheets). Every read is GraphQL as the public principal: drafts do not exist for it, and what it
may not see of people comes back masked."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from starlette.responses import Response

from api.limits import MAX_ALIASES
from api.web.disclosure.notice import DISCLOSURE_FIELDS, notice_xlsx
from api.web.pages import PageError
from api.web.public import PublicWeb

VILLAGES = """
query PublicVillages($after: String) {
  villages(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { code name town { code name district { code name } } } }
  }
}
"""
VILLAGE = """
query PublicVillage($code: String!) {
  village(code: $code) { code name collectiveName town { code name district { code name } } }
  publishedDisclosures(villageCode: $code) {
    id period periodStart periodEnd edition publishedOn correctionReason
    corrects { id edition } correctedBy { id edition }
  }
}
"""
NOTICE = f"""
query PublicNotice($id: ID!) {{
  publishedDisclosure(id: $id) {{ {DISCLOSURE_FIELDS} }}
}}
"""
BATCH = MAX_ALIASES  # villages asked about in one document, one alias each
MAX_VILLAGES = 2_000
SIZES = ("a4", "a3")


async def all_villages(web: PublicWeb) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after: str | None = None
    while len(found) < MAX_VILLAGES:
        data = (await web.query(VILLAGES, {"after": after}))["villages"]
        found.extend(e["node"] for e in data["edges"] if e and e.get("node"))
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    return found


async def published_counts(web: PublicWeb, codes: list[str]) -> dict[str, int]:
    """How many published disclosures each village has (asked in batches of aliases)."""
    counts: dict[str, int] = {}
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        params = ", ".join(f"$v{n}: String!" for n in range(len(chunk)))
        fields = " ".join(
            f"v{n}: publishedDisclosures(villageCode: $v{n}) {{ id }}" for n in range(len(chunk))
        )
        document = f"query PublicPublished({params}) {{ {fields} }}"
        data = await web.query(document, {f"v{n}": code for n, code in enumerate(chunk)})
        for n, code in enumerate(chunk):
            counts[code] = len(data.get(f"v{n}") or [])
    return counts


async def public_index(web: PublicWeb) -> Response:
    villages = await all_villages(web)
    counts = await published_counts(web, [v["code"] for v in villages])
    districts: dict[str, dict[str, Any]] = {}
    towns: dict[str, dict[str, Any]] = {}
    listed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in villages:
        if not counts.get(v["code"]):
            continue
        town = v.get("town") or {"code": v["code"][:9], "name": v["code"][:9]}
        district = town.get("district") or {"code": v["code"][:6], "name": v["code"][:6]}
        districts.setdefault(district["code"], {**district, "towns": []})
        if town["code"] not in towns:
            towns[town["code"]] = {**town, "villages": listed[town["code"]]}
            districts[district["code"]]["towns"].append(towns[town["code"]])
        listed[town["code"]].append({**v, "count": counts[v["code"]]})
    return web.render("public/index.html", {"districts": list(districts.values())})


async def public_village(web: PublicWeb) -> Response:
    code = web.path_value("code")
    data = await web.query(VILLAGE, {"code": code})
    village = data.get("village")
    if not isinstance(village, dict):
        raise PageError(404, "village_not_found")
    disclosures = data.get("publishedDisclosures") or []
    context = {"village": village, "disclosures": disclosures}
    return web.render("public/village.html", context)


async def notice_of(web: PublicWeb) -> dict[str, Any]:
    data = await web.query(NOTICE, {"id": web.path_value("disclosure_id")})
    found = data.get("publishedDisclosure")
    if not isinstance(found, dict):
        raise PageError(404, "disclosure_not_found")
    return found


async def public_notice(web: PublicWeb) -> Response:
    size = web.request.query_params.get("size", "a4")
    if size not in SIZES:
        raise PageError(400, "invalid_input", "纸张只能是 a4 或 a3。")
    d = await notice_of(web)
    return web.render("public/notice.html", {"d": d, "size": size})


async def public_notice_xlsx(web: PublicWeb) -> Response:
    return notice_xlsx(await notice_of(web))


async def public_not_found(web: PublicWeb) -> Response:
    raise PageError(404, "not_found")
