"""Every page of the workbench, in one list (api/app.py mounts them beside GraphQL)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from api.web import assets, audit, books, dashboard, disclosure, meals, uploads
from api.web.home import home
from api.web.pages import page
from api.web.signin import signin, signout


def web_routes() -> list[BaseRoute]:
    return [
        Route("/", page(home), methods=["GET"]),
        Route("/signin", signin, methods=["GET", "POST"]),
        Route("/signout", signout, methods=["POST"]),
        *assets.routes(),
        *meals.routes(),
        *books.routes(),
        *uploads.routes(),
        *audit.routes(),
        *disclosure.routes(),
        *disclosure.public_routes(),
        *dashboard.routes(),
    ]
