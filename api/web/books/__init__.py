"""The books pages: 试算平衡表 → 明细账 → entry → voucher and event with its proof; 科目余额表
and the statements; 记账凭证 (list, print, prepare, review, reject). Every table downloads as
xlsx (``?format=xlsx``)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from api.web.books.drill import entry_page, event_page
from api.web.books.ledger import account_statement, trial_balance
from api.web.books.statements import balance_sheet, balances, income
from api.web.books.voucher_form import new_voucher, record_voucher
from api.web.books.vouchers import reject, reverse, review, voucher_list, voucher_page
from api.web.pages import page
from domain.access.roles import Role

READERS = {Role.ACCOUNTANT, Role.AUDITOR}
WRITERS = {Role.ACCOUNTANT}


def routes() -> list[BaseRoute]:
    return [
        Route("/books", page(trial_balance, roles=READERS), methods=["GET"]),
        Route("/books/accounts/{code}", page(account_statement, roles=READERS), methods=["GET"]),
        Route("/books/entries/{entry_id}", page(entry_page, roles=READERS), methods=["GET"]),
        Route(
            "/books/events/{notification_id:int}",
            page(event_page, roles={Role.AUDITOR}),
            methods=["GET"],
        ),
        Route("/books/balances", page(balances, roles=READERS), methods=["GET"]),
        Route("/books/balance-sheet", page(balance_sheet, roles=READERS), methods=["GET"]),
        Route("/books/income", page(income, roles=READERS), methods=["GET"]),
        Route("/vouchers", page(voucher_list, roles=READERS), methods=["GET"]),
        Route("/vouchers/new", page(new_voucher, roles=WRITERS), methods=["GET"]),
        Route("/vouchers/new", page(record_voucher, roles=WRITERS), methods=["POST"]),
        Route("/vouchers/{voucher_id}", page(voucher_page, roles=READERS), methods=["GET"]),
        Route("/vouchers/{voucher_id}/review", page(review, roles=WRITERS), methods=["POST"]),
        Route("/vouchers/{voucher_id}/reject", page(reject, roles=WRITERS), methods=["POST"]),
        Route("/vouchers/{voucher_id}/reverse", page(reverse, roles=WRITERS), methods=["POST"]),
    ]
