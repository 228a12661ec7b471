"""Spreadsheets in (导入表格): download a template, fill it in Excel or WPS, upload it, see each
row's outcome before anything is recorded, then record the accepted rows in one step. The
meal point's sign-in sheet is meals.py, the village's rent roll rent.py; reading a file that is
not trusted is sheets.py; the rows between preview and confirmation are kept by pending.py."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from api.web.pages import page
from api.web.uploads import meals, rent
from api.web.uploads.flow import outcomes_download
from api.web.uploads.index import index
from domain.access.roles import Role

WRITERS = {Role.ACCOUNTANT}
MEAL_OUTCOMES = outcomes_download(meals.KIND, "助餐签到表", meals.SHOWN)
RENT_OUTCOMES = outcomes_download(rent.KIND, "收租表", rent.SHOWN)


def routes() -> list[BaseRoute]:
    return [
        Route("/uploads", page(index, roles=WRITERS), methods=["GET"]),
        Route("/uploads/meals/template.xlsx", page(meals.template, roles=WRITERS)),
        Route("/uploads/meals", page(meals.preview, roles=WRITERS), methods=["POST"]),
        Route("/uploads/meals/confirm", page(meals.confirm, roles=WRITERS), methods=["POST"]),
        Route("/uploads/meals/outcomes.xlsx", page(MEAL_OUTCOMES, roles=WRITERS)),
        Route("/uploads/rent/template.xlsx", page(rent.template, roles=WRITERS)),
        Route("/uploads/rent", page(rent.preview, roles=WRITERS), methods=["POST"]),
        Route("/uploads/rent/confirm", page(rent.confirm, roles=WRITERS), methods=["POST"]),
        Route("/uploads/rent/outcomes.xlsx", page(RENT_OUTCOMES, roles=WRITERS)),
    ]
