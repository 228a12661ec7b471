"""The workbench's 老年助餐 pages (meal points, elders, meals, settlements)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from api.web.meals.common import READERS, WRITERS
from api.web.meals.enrol import enrol_elder
from api.web.meals.overview import overview, overview_xlsx, settlements_xlsx
from api.web.meals.point import point_page, point_xlsx
from api.web.meals.record import batch_page, record_meals
from api.web.meals.settlement import (
    draft_settlement,
    settlement_page,
    settlement_xlsx,
    submit_settlement,
)
from api.web.pages import page

GET, BOTH = ["GET"], ["GET", "POST"]


def routes() -> list[BaseRoute]:
    return [
        Route("/meals", page(overview, roles=READERS), methods=GET),
        Route("/meals/xlsx", page(overview_xlsx, roles=READERS), methods=GET),
        Route("/meals/settlements.xlsx", page(settlements_xlsx, roles=READERS), methods=GET),
        Route("/meals/points/{point_id}", page(point_page, roles=READERS), methods=GET),
        Route("/meals/points/{point_id}/xlsx", page(point_xlsx, roles=READERS), methods=GET),
        Route(
            "/meals/points/{point_id}/elders/new", page(enrol_elder, roles=WRITERS), methods=BOTH
        ),
        Route(
            "/meals/points/{point_id}/meals/new", page(record_meals, roles=WRITERS), methods=BOTH
        ),
        Route(
            "/meals/points/{point_id}/settlements/new",
            page(draft_settlement, roles=WRITERS),
            methods=BOTH,
        ),
        Route("/meals/batches/{batch_id}", page(batch_page, roles=READERS), methods=GET),
        Route(
            "/meals/settlements/{settlement_id}", page(settlement_page, roles=READERS), methods=GET
        ),
        Route(
            "/meals/settlements/{settlement_id}/xlsx",
            page(settlement_xlsx, roles=READERS),
            methods=GET,
        ),
        Route(
            "/meals/settlements/{settlement_id}/submit",
            page(submit_settlement, roles=WRITERS),
            methods=["POST"],
        ),
    ]
