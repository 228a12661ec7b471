"""村务公开: the public notice board for anyone (/public…, api/web/public.py serves it without a
session) and the workbench's disclosure pages for signed-in users (/villages/{code}/disclosures,
/disclosures/{id} and their forms)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from api.web.disclosure.commands import (
    draft_disclosure,
    publish_disclosure,
    rebuild_disclosure,
    review_disclosure,
)
from api.web.disclosure.public_pages import (
    public_index,
    public_not_found,
    public_notice,
    public_notice_xlsx,
    public_village,
)
from api.web.disclosure.workbench import (
    READERS,
    WRITERS,
    disclosure_home,
    disclosure_list,
    disclosure_page,
)
from api.web.pages import page
from api.web.public import public_page

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]


def public_routes() -> list[BaseRoute]:
    return [
        Route("/public", public_page(public_index), methods=GET),
        Route("/public/villages/{code}", public_page(public_village), methods=GET),
        # the sheet first: "{disclosure_id}" alone would take "<id>.xlsx" too
        Route(
            "/public/disclosures/{disclosure_id}.xlsx",
            public_page(public_notice_xlsx),
            methods=GET,
        ),
        Route("/public/disclosures/{disclosure_id}", public_page(public_notice), methods=GET),
        # anything else under /public is the board's own 404 page, in Chinese
        Route("/public/{rest:path}", public_page(public_not_found), methods=GET),
    ]


def routes() -> list[BaseRoute]:
    return [
        Route("/disclosures", page(disclosure_home, roles=READERS), methods=GET),
        Route("/villages/{code}/disclosures", page(disclosure_list, roles=READERS), methods=GET),
        Route(
            "/villages/{code}/disclosures/new", page(draft_disclosure, roles=WRITERS), methods=BOTH
        ),
        Route("/disclosures/{disclosure_id}", page(disclosure_page, roles=READERS), methods=GET),
        Route(
            "/disclosures/{disclosure_id}/rebuild",
            page(rebuild_disclosure, roles=WRITERS),
            methods=POST,
        ),
        Route(
            "/disclosures/{disclosure_id}/review",
            page(review_disclosure, roles=WRITERS),
            methods=POST,
        ),
        Route(
            "/disclosures/{disclosure_id}/publish",
            page(publish_disclosure, roles=WRITERS),
            methods=POST,
        ),
    ]
