"""What one request may ask for: the limits, checked before anything runs and while it runs.
Besides the body (app.py, execution.py): before validation, the document's size
(``document_size``); after validation, one walk over the operation with its fragments expanded
(api/query_cost.py) measures how deep its data fields nest, how deep its selections nest at all,
how many aliases it uses and how many objects it could return; while the query runs, a budget of
the values it returns stops it if it returns more than any estimate allowed (introspection,
whose size the schema decides, is bounded there). Introspection can be switched off by
configuration (``QIANWAN_GRAPHQL_INTROSPECTION=off``, qianwan/settings.py)."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Sized
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionContext,
    FieldNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    ValueNode,
)
from graphql.pyutils import AwaitableOrValue, Path

MAX_COMPLEXITY = 20_000  # objects one query may return, estimated before it runs
MAX_ALIASES = 20  # aliased fields in the operation, fragments expanded
MAX_QUERY_DEPTH = 12  # data fields nested inside data fields (introspection is not counted)
MAX_SELECTION_NESTING = 32  # selection sets inside each other: any field, fragments too
MAX_SELECTIONS = 400  # fields and fragments written in one document (validation is quadratic)
MAX_VALUE_NESTING = 32  # lists and objects inside each other, in the body or in the query
MAX_RESPONSE_VALUES = 100_000  # objects and list items one query may return while it runs


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


class LimitExceeded(Exception):
    """A limit passed: why the operation is refused (raised by the cost walk, api/query_cost.py)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


# -- before validation: the document as written -------------------------------------------------


def document_size(document: DocumentNode) -> Refusal | None:
    """Refuses a document with more selections than validation should look at (some of the
    spec's rules compare selections pairwise), or with values nested deeper than any input."""
    selections, pending = 0, list[Node](document.definitions)
    while pending:
        node = pending.pop()
        if isinstance(node, (FieldNode, FragmentSpreadNode, InlineFragmentNode)):
            selections += 1
            if selections > MAX_SELECTIONS:
                message = (
                    f"the document has more than {MAX_SELECTIONS} selections (fields, fragments)"
                )
                return Refusal("too_many_selections", message)
        if any(value_nesting(value) > MAX_VALUE_NESTING for value in values_of(node)):
            message = f"the query nests values more than {MAX_VALUE_NESTING} deep"
            return Refusal("body_too_deep", message)
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            pending.extend(selection_set.selections)
    return None


def values_of(node: Node) -> list[ValueNode]:
    """The literal values written on a node: its arguments, its directives' arguments, and an
    operation's variables' defaults."""
    arguments = list(getattr(node, "arguments", None) or ())
    for directive in getattr(node, "directives", None) or ():
        arguments += directive.arguments or ()
    found = [argument.value for argument in arguments]
    for definition in getattr(node, "variable_definitions", None) or ():
        if definition.default_value is not None:
            found.append(definition.default_value)
    return found


def value_nesting(value: ValueNode) -> int:
    """How deep lists and objects nest in a literal value (iteratively: it may be deep)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, ListValueNode):
            deepest = max(deepest, depth)
            pending.extend((item, depth + 1) for item in node.values)
        elif isinstance(node, ObjectValueNode):
            deepest = max(deepest, depth)
            pending.extend((f.value, depth + 1) for f in node.fields)
        if deepest > MAX_VALUE_NESTING:
            break
    return deepest


# -- while it runs: the values returned ---------------------------------------------------------


class ResponseTooLarge(Exception):
    """Raised inside execution once a query has returned MAX_RESPONSE_VALUES values."""

    def __init__(self) -> None:
        super().__init__(
            f"the answer would hold more than {MAX_RESPONSE_VALUES} objects and list items; "
            "ask for less"
        )


class BudgetedExecution(ExecutionContext):
    """Counts the objects and list items a query returns, and stops completing any more once
    MAX_RESPONSE_VALUES are returned: an estimate that fell short (or introspection, which
    the estimate leaves out) cannot build tens of megabytes before the answer is refused."""

    values = 0

    def spend(self, values: int) -> None:
        self.values += values
        if self.values > MAX_RESPONSE_VALUES:
            raise ResponseTooLarge

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_nodes: list[FieldNode],
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        self.spend(1)
        return super().complete_object_value(return_type, field_nodes, info, path, result)

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_nodes: list[FieldNode],
        info: GraphQLResolveInfo,
        path: Path,
        result: AsyncIterable[Any] | Iterable[Any],
    ) -> AwaitableOrValue[list[Any]]:
        self.spend(len(result) if isinstance(result, Sized) else 1)
        return super().complete_list_value(return_type, field_nodes, info, path, result)
