"""The first page after signing in: what the signed-in user's role works on."""

from __future__ import annotations

from starlette.responses import Response

from api.web.pages import Web


async def home(web: Web) -> Response:
    return web.render("home.html", {})
