"""What one request may ask for, checked before anything runs: besides the body size (app.py),
the token count and the depth (execution.py), an estimate of the objects a query returns
(``first`` multiplied down the tree) and the number of aliases. Introspection can be switched
off by configuration (``QIANWAN_GRAPHQL_INTROSPECTION=off``, qianwan/settings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    is_object_type,
)

from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

MAX_COMPLEXITY = 20_000  # objects one query may return, estimated before it runs
MAX_ALIASES = 20  # aliased fields in one document
PLAIN_LIST_ESTIMATE = 10  # items assumed of a list that is not a connection (bounded lists)


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def check_limits(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
) -> Refusal | None:
    """Why the document is refused, or None. The document is valid already."""
    aliases = count_aliases(document)
    if aliases > MAX_ALIASES:
        return Refusal(
            "too_many_aliases", f"the query uses {aliases} aliases; at most {MAX_ALIASES}"
        )
    cost = complexity(schema, document, operation, variables or {})
    if cost > MAX_COMPLEXITY:
        return Refusal(
            "query_too_complex",
            f"the query could return about {cost} objects; at most {MAX_COMPLEXITY}: ask for "
            "smaller pages (`first`) or fewer nested lists",
        )
    return None


def count_aliases(document: DocumentNode) -> int:
    found = 0
    pending: list[Any] = list(document.definitions)
    while pending:
        node = pending.pop()
        if isinstance(node, FieldNode) and node.alias is not None:
            found += 1
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            pending.extend(selection_set.selections)
    return found


def complexity(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
) -> int:
    """Objects the operation may return: every object-typed field counts its estimated items,
    multiplied by the items of the lists above it (a connection's ``first``, else
    DEFAULT_PAGE_SIZE; any other list PLAIN_LIST_ESTIMATE)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    if root is None:
        return 0
    walker = _Walker(schema, fragments, variables)
    return walker.cost(operation.selection_set, root, 1, frozenset())


@dataclass
class _Walker:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]

    def cost(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType,
        multiplier: int,
        spread: frozenset[str],
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent, multiplier, spread)
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self.schema.get_type(selection.type_condition.name.value) or parent
                total += self.cost(selection.selection_set, target, multiplier, spread)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in spread:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value) or parent
                total += self.cost(fragment.selection_set, target, multiplier, spread | {name})
            if total > MAX_COMPLEXITY:  # enough to refuse: stop counting
                return total
        return total

    def field_cost(
        self, node: FieldNode, parent: GraphQLNamedType, multiplier: int, spread: frozenset[str]
    ) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        target = get_named_type(definition.type)
        if not is_object_type(target):
            return 0
        if "first" in definition.args:  # a connection: one object, `first` items below it
            own, inner = multiplier, multiplier * self.first(node)
        elif is_list_type(get_nullable_type(definition.type)):
            if "pageInfo" in parent.fields:  # a connection's edges: counted as their nodes
                own, inner = 0, multiplier
            else:
                own = inner = multiplier * PLAIN_LIST_ESTIMATE
        else:
            own = inner = multiplier
        if node.selection_set is None:
            return own
        return own + self.cost(node.selection_set, target, inner, spread)

    def first(self, node: FieldNode) -> int:
        for argument in node.arguments:
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return _clamped(int(value.value))
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return _clamped(given) if isinstance(given, int) else DEFAULT_PAGE_SIZE
        return DEFAULT_PAGE_SIZE


def _clamped(first: int) -> int:
    """A page size out of range is refused when the field runs; here it counts as the most."""
    return first if 0 <= first <= MAX_PAGE_SIZE else MAX_PAGE_SIZE
