"""How much an operation asks for, measured before it runs (the limits: api/limits.py).

One walk over the operation with its fragments expanded measures how deep its data fields nest,
how deep its selections nest at all, how many aliases it uses and how many objects it could
return (``first`` and the declared bound of each plain list, api/list_bounds.py, multiplied down
the tree). The walk works on each fragment once, whatever how often it is spread (its measures
are kept, the cost as a linear function of the spread's multipliers), so its work grows with the
document's size, and it stops as soon as a limit is passed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_introspection_type,
    is_list_type,
)

from api.limits import (
    MAX_ALIASES,
    MAX_COMPLEXITY,
    MAX_QUERY_DEPTH,
    MAX_SELECTION_NESTING,
    LimitExceeded,
    Refusal,
)
from api.list_bounds import InAll, PerParent, anchors, list_bound
from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

ANCHORS = anchors()  # the types whose objects InAll bounds count from
# A list the registry of bounds does not know (a test keeps it complete) counts as too many.
UNDECLARED_LIST_ITEMS = MAX_COMPLEXITY + 1


def check_limits(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
) -> Refusal | None:
    """Why the operation is refused, or None. The document is valid already."""
    try:
        measure(schema, document, operation, variables or {})
    except LimitExceeded as exceeded:
        return exceeded.refusal
    return None


@dataclass(frozen=True)
class Cost:
    """Objects a selection set returns, as ``per_item`` times the items it is selected on
    plus ``per_anchor`` times the objects of the InAll bounds' anchor above it."""

    per_item: int = 0
    per_anchor: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.per_item + other.per_item, self.per_anchor + other.per_anchor)

    def at(self, items: int, anchors: int) -> int:
        return self.per_item * items + self.per_anchor * anchors


@dataclass
class Measures:
    """Of one selection set, relative to where it is: ``depth`` the most data fields on a path
    through it; ``nesting`` the most selection sets (itself included); expanded ``aliases``."""

    depth: int = 0
    nesting: int = 1
    aliases: int = 0
    cost: Cost = field(default_factory=Cost)

    def include(self, inner: Measures, depth: int = 0, nesting: int = 0) -> None:
        self.depth = max(self.depth, inner.depth + depth)
        self.nesting = max(self.nesting, inner.nesting + nesting)
        self.aliases += inner.aliases


@dataclass(frozen=True)
class At:
    """Where a selection set is in the operation: for stopping as soon as a limit is passed."""

    depth: int  # data fields above it
    nesting: int  # selection sets above it
    items: int  # the objects it is selected on
    anchors: int  # the InAll anchors above it

    def inside(self, items: int | None = None, anchors: int | None = None) -> At:
        """A selection set nested in this one (a fragment's, or a field's with new counts)."""
        return At(
            self.depth,
            self.nesting + 1,
            self.items if items is None else items,
            self.anchors if anchors is None else anchors,
        )


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
) -> Measures:
    """The operation's measures; raises LimitExceeded as soon as one passes its limit."""
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    if root is None:
        return Measures()
    walker = Walker(schema, document, operation, variables)
    found = walker.selection_set(operation.selection_set, root, At(0, 0, 1, 0))
    walker.check(found, At(0, 0, 1, 0))
    return found


class Walker:
    """One walk over an operation; each fragment's measures are worked out once and kept."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.variables = dict(variables)
        for definition in operation.variable_definitions:
            name, default = definition.variable.name.value, definition.default_value
            if name not in self.variables and isinstance(default, IntValueNode):
                self.variables[name] = int(default.value)
        self.measured: dict[str, Measures] = {}
        self.in_progress: set[str] = set()

    def check(self, found: Measures, at: At) -> None:
        """Raises LimitExceeded when ``found``, measured where ``at`` says, passes a limit."""
        if at.depth + found.depth - 1 > MAX_QUERY_DEPTH:
            message = f"the query nests data fields more than {MAX_QUERY_DEPTH} deep"
            raise LimitExceeded(Refusal("query_too_deep", message))
        if at.nesting + found.nesting > MAX_SELECTION_NESTING:
            message = (
                f"the query nests selections (fields, fragments) more than "
                f"{MAX_SELECTION_NESTING} deep"
            )
            raise LimitExceeded(Refusal("selections_nested_too_deep", message))
        if found.aliases > MAX_ALIASES:
            message = f"the query uses more than {MAX_ALIASES} aliases, fragments expanded"
            raise LimitExceeded(Refusal("too_many_aliases", message))
        cost = found.cost.at(at.items, at.anchors)
        if cost > MAX_COMPLEXITY:
            message = (
                f"the query could return {cost} objects or more; at most {MAX_COMPLEXITY}: ask "
                "for smaller pages (`first`) or fewer nested lists"
            )
            raise LimitExceeded(Refusal("query_too_complex", message))

    def selection_set(self, node: SelectionSetNode, parent: GraphQLNamedType, at: At) -> Measures:
        found = Measures()
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent, at, found)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                inner = self.selection_set(selection.selection_set, target or parent, at.inside())
                found.include(inner, nesting=1)
                found.cost += inner.cost
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragment(selection.name.value, at)
                if fragment is not None:
                    found.include(fragment, nesting=1)
                    found.cost += fragment.cost
            self.check(found, at)
        return found

    def fragment(self, name: str, at: At) -> Measures | None:
        """A fragment's measures, worked out where it is first spread (None: unknown, or a
        cycle; validation has refused those already)."""
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.in_progress:
            return None
        target = self.schema.get_type(definition.type_condition.name.value)
        if target is None:
            return None
        self.in_progress.add(name)
        found = self.selection_set(definition.selection_set, target, at.inside())
        self.in_progress.discard(name)
        self.measured[name] = found
        return found

    def field(self, node: FieldNode, parent: GraphQLNamedType, at: At, found: Measures) -> None:
        if node.alias is not None:
            found.aliases += 1
        definition = field_definition(parent, node.name.value)
        data = definition is not None and not is_introspection(node, parent)
        if node.selection_set is None:
            found.depth = max(found.depth, 1 if data else 0)
            return
        if definition is None or not data:  # introspection: its values are counted as it runs
            target = get_named_type(definition.type) if definition is not None else parent
            found.include(self.selection_set(node.selection_set, target, at.inside(0, 0)), 0, 1)
            return
        target = get_named_type(definition.type)
        fan = self.fan_out(node, parent, definition, target)
        inside = At(at.depth + 1, at.nesting + 1, *fan.below(at))
        inner = self.selection_set(node.selection_set, target, inside)
        found.include(inner, depth=1, nesting=1)
        found.cost += fan.own + fan.lift(inner.cost)

    def fan_out(
        self,
        node: FieldNode,
        parent: GraphQLNamedType,
        definition: GraphQLField,
        target: GraphQLNamedType,
    ) -> FanOut:
        """How an object-typed field multiplies what is selected below it."""
        if "first" in definition.args:  # a connection: one object, `first` items below it
            return FanOut(Cost(per_item=1), items=self.first(node))
        if not is_list_type(nullable(definition.type)):
            return FanOut(Cost(per_item=1), anchor=target.name in ANCHORS)
        if "pageInfo" in getattr(parent, "fields", {}):  # a connection's edges: its nodes
            return FanOut(Cost())
        bound = list_bound(parent.name, node.name.value)
        if isinstance(bound, InAll):
            return FanOut(Cost(per_anchor=bound.items), in_all=bound.items)
        items = bound.items if isinstance(bound, PerParent) else UNDECLARED_LIST_ITEMS
        return FanOut(Cost(per_item=items), items=items)

    def first(self, node: FieldNode) -> int:
        for argument in node.arguments:
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return clamped(int(value.value))
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return clamped(given) if isinstance(given, int) else DEFAULT_PAGE_SIZE
        return DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class FanOut:
    """What an object-typed field returns itself (``own``, over the items and anchors it is
    selected on), and what its selections are selected on: ``items`` times each of its own
    items, or for an InAll list ``in_all`` per anchor; an anchor type starts its own count."""

    own: Cost
    items: int = 1
    in_all: int | None = None
    anchor: bool = False

    def below(self, at: At) -> tuple[int, int]:
        """The items and anchors the field's selections are selected on."""
        if self.in_all is not None:
            return self.in_all * at.anchors, at.anchors
        items = self.items * at.items
        return items, items if self.anchor else at.anchors

    def lift(self, inner: Cost) -> Cost:
        """The cost of the field's selections, over the field's own items and anchors."""
        if self.in_all is not None:
            return Cost(0, inner.per_item * self.in_all + inner.per_anchor)
        if self.anchor:
            return Cost(self.items * (inner.per_item + inner.per_anchor), 0)
        return Cost(inner.per_item * self.items, inner.per_anchor)


def field_definition(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None


def nullable(type_: GraphQLOutputType) -> GraphQLOutputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def is_introspection(node: FieldNode, parent: GraphQLNamedType) -> bool:
    return node.name.value.startswith("__") or is_introspection_type(parent)


def clamped(first: int) -> int:
    """A page size out of range is refused when the field runs; here it counts as the most."""
    return first if 0 <= first <= MAX_PAGE_SIZE else MAX_PAGE_SIZE
