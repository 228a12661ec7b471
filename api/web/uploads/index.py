"""The uploads page: the two kinds of spreadsheet an accountant brings in (a meal point's sign-in
sheet, a village's rent roll), each with its template to download and its upload form; a file
refused as a whole is shown here again with the refusal's message and code."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.messages import message_zh
from api.web.pages import Web

PLACES = """
query Places {
  mealPoints(first: 100) { edges { node { id name pointCode village { name } } } }
  villages(first: 100) { edges { node { code name } } }
}
"""


async def index_page(
    web: Web, kind: str | None = None, code: str | None = None, detail: str | None = None
) -> Response:
    data = await web.query(PLACES)
    refusal: dict[str, Any] | None = None
    if code is not None:
        refusal = {"kind": kind, "code": code, "message": message_zh(code), "detail": detail}
    status = 200 if code is None else 403 if code == "forbidden" else 400
    return web.render(
        "uploads/index.html",
        {
            "points": [e["node"] for e in data["mealPoints"]["edges"]],
            "villages": [e["node"] for e in data["villages"]["edges"]],
            "refusal": refusal,
        },
        status=status,
    )


async def index(web: Web) -> Response:
    return await index_page(web)
