"""One subscription, start to end: the document checked as a POST's is (parse, validation,
text, limits), the subscription field resolved through the permission middleware exactly as a
query's root field is (graphql-core's own ``subscribe`` takes no middleware), then each event
executed with the middleware too. Every refusal carries ``extensions.code``."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from inspect import isawaitable
from typing import Any

import graphene
from graphql import (
    DocumentNode,
    ExecutionContext,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    located_error,
)
from graphql.execution.collect_fields import collect_fields
from graphql.execution.execute import get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path

from api.common import RequestContext
from api.execution import (
    VALIDATION_FAILED,
    VARIABLES_INVALID,
    GraphQLRequest,
    checked_document,
    coded,
    format_error,
    permission_middleware,
    refusal,
)
from api.limits import Refusal
from api.query_cost import check_limits
from api.text import text_refusal

NOT_A_SUBSCRIPTION = "operation_not_subscription"
VALIDATION_CODE = {"code": VALIDATION_FAILED}

Errors = list[dict[str, Any]]


def refused(refused: Refusal) -> Errors:
    return [refusal(refused)]


def checked(
    schema: graphene.Schema, request: GraphQLRequest, introspection: bool
) -> DocumentNode | Errors:
    """The subscription's document, or the errors refusing it."""
    document = checked_document(schema, request.query, introspection)
    if not isinstance(document, DocumentNode):
        return [dict(e) for e in document]
    bad_text = text_refusal(request.query, document, request.variables, request.operation_name)
    if bad_text is not None:
        extensions = {"code": bad_text.code, "field": bad_text.field}
        return [{"message": bad_text.message, "extensions": extensions}]
    operation = get_operation_ast(document, request.operation_name)
    if operation is None:
        wanted = request.operation_name
        message = f"no operation named {wanted!r}" if wanted else "give the operationName to run"
        return refused(Refusal("operation_not_found", message))
    if operation.operation is not OperationType.SUBSCRIPTION:
        message = "only subscriptions are sent over WebSocket: send queries and mutations with POST"
        return refused(Refusal(NOT_A_SUBSCRIPTION, message))
    too_much = check_limits(schema.graphql_schema, document, operation, request.variables)
    if too_much is not None:
        return refused(too_much)
    return document


async def subscribe(
    schema: graphene.Schema,
    document: DocumentNode,
    request: GraphQLRequest,
    context: RequestContext,
) -> AsyncIterator[dict[str, Any]] | Errors:
    """The stream of results (``{"data": …}``, with ``errors`` when a field failed), or the
    errors refusing the subscription before anything is sent."""
    middleware = permission_middleware(schema)
    built = ExecutionContext.build(
        schema.graphql_schema,
        document,
        None,
        context,
        request.variables,
        request.operation_name,
        middleware=[middleware],
    )
    if isinstance(built, list):  # bad variable values
        return [coded(e, VARIABLES_INVALID) for e in built]
    try:
        source = await source_stream(built)
    except GraphQLError as failed:
        return [format_error(failed)]

    async def results() -> AsyncIterator[dict[str, Any]]:
        try:
            async for payload in source:
                result = execute(
                    schema.graphql_schema,
                    document,
                    payload,
                    context,
                    request.variables,
                    request.operation_name,
                    middleware=[middleware],
                )
                done = await result if isawaitable(result) else result
                body: dict[str, Any] = {"data": done.data}
                if done.errors:
                    body["errors"] = [format_error(e) for e in done.errors]
                yield body
        finally:
            closing = getattr(source, "aclose", None)
            if closing is not None:
                await closing()

    return results()


async def source_stream(context: ExecutionContext) -> AsyncIterable[Any]:
    """graphql-core's ``execute_subscription``, with the field's subscribe function wrapped by
    the middleware, so that the permission declared on it is checked as on any root field."""
    schema = context.schema
    root_type = schema.subscription_type
    if root_type is None:
        raise GraphQLError(
            "the schema has no subscriptions", context.operation, extensions=VALIDATION_CODE
        )
    root_fields = collect_fields(
        schema,
        context.fragments,
        context.variable_values,
        root_type,
        context.operation.selection_set,
    )
    response_name, field_nodes = next(iter(root_fields.items()))
    field_def = get_field_def(schema, root_type, field_nodes[0])
    if field_def is None or field_def.subscribe is None:
        name = field_nodes[0].name.value
        raise GraphQLError(f"no subscription {name!r}", field_nodes, extensions=VALIDATION_CODE)
    path = Path(None, response_name, root_type.name)
    info = context.build_resolve_info(field_def, field_nodes, root_type, path)
    try:
        args = get_argument_values(field_def, field_nodes[0], context.variable_values)
        resolve = field_def.subscribe
        if context.middleware_manager is not None:
            resolve = context.middleware_manager.get_field_resolver(resolve)
        stream = resolve(context.root_value, info, **args)
        if isawaitable(stream):
            stream = await stream
        if isinstance(stream, Exception):
            raise stream
        if not isinstance(stream, AsyncIterable):
            raise TypeError(f"{field_def} did not return an async iterable")
        return stream
    except Exception as failed:
        raise located_error(failed, field_nodes, path.as_list()) from failed
