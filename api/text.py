"""Text at the API's boundary: every string a request carries (variables, however deeply nested,
object keys included; string literals of the document; the operation name) passes the one rule
of domain/shared/text.py before anything runs, so a refused request records nothing and no
forbidden character reaches a resolver, a query or an event."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from graphql import DocumentNode, StringValueNode, Visitor, visit

from domain.shared.errors import TextContainsForbiddenCharacter
from domain.shared.text import check_text, check_values

CHECKED_DOCUMENTS = 512  # documents whose literals were checked, kept by their text


class _Literals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        self.found.append(node.value)


_checked: OrderedDict[str, TextContainsForbiddenCharacter | None] = OrderedDict()
_checked_lock = threading.Lock()


def _literal_refusal(query: str, document: DocumentNode) -> TextContainsForbiddenCharacter | None:
    """Kept by the document's text (hashing a document itself would walk all of it)."""
    with _checked_lock:
        if query in _checked:
            _checked.move_to_end(query)
            return _checked[query]
    literals = _Literals()
    visit(document, literals)
    refusal: TextContainsForbiddenCharacter | None = None
    try:
        for value in literals.found:
            check_text(value, "query")
    except TextContainsForbiddenCharacter as refused:
        refusal = refused
    with _checked_lock:
        _checked[query] = refusal
        while len(_checked) > CHECKED_DOCUMENTS:
            _checked.popitem(last=False)
    return refusal


def text_refusal(
    query: str,
    document: DocumentNode,
    variables: dict[str, Any] | None,
    operation_name: str | None,
) -> TextContainsForbiddenCharacter | None:
    """Why the request's text is refused, or None."""
    try:
        if operation_name is not None:
            check_text(operation_name, "operationName")
        if variables:
            check_values(variables, "variables")
    except TextContainsForbiddenCharacter as refused:
        return refused
    return _literal_refusal(query, document)
