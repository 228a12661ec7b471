"""The auditor's pages: an object's history and its state at a version or time, the findings of
meal assistance with the meals behind each, and the state of the audit seal."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from api.web.audit.findings import findings_page, findings_xlsx
from api.web.audit.objects import history_xlsx, object_page, search, state_xlsx
from api.web.audit.seal import seal_page
from api.web.pages import page
from domain.access.roles import Role

AUDITORS = {Role.AUDITOR}
READERS = {Role.ACCOUNTANT, Role.AUDITOR, Role.PLATFORM}


def routes() -> list[BaseRoute]:
    return [
        Route("/audit", page(search, roles=AUDITORS), methods=["GET"]),
        Route("/audit/findings", page(findings_page, roles=READERS), methods=["GET"]),
        Route("/audit/findings/xlsx", page(findings_xlsx, roles=READERS), methods=["GET"]),
        Route("/audit/seal", page(seal_page, roles=AUDITORS), methods=["GET"]),
        Route("/audit/{kind}/{id}", page(object_page, roles=AUDITORS), methods=["GET"]),
        Route("/audit/{kind}/{id}/xlsx", page(history_xlsx, roles=AUDITORS), methods=["GET"]),
        Route("/audit/{kind}/{id}/state.xlsx", page(state_xlsx, roles=AUDITORS), methods=["GET"]),
    ]
