"""One GraphQL request, start to end: parse, validate, execute, format. Synchronous on purpose:
the HTTP endpoint runs it on a worker thread, where execution gets a fresh event loop of its own
(so resolvers may do blocking database work and DataLoaders still batch)."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

import graphene
from graphene.validation import depth_limit_validator
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    execute,
    get_operation_ast,
    parse,
    validate,
)

from api.auth.middleware import PermissionMiddleware
from api.common import RequestContext, graphql_path
from api.limits import check_limits
from api.text import text_refusal
from domain.shared.errors import DomainError
from domain.shared.eventstore import READ_MODELS_BEHIND

MAX_QUERY_TOKENS = 10_000  # lexical tokens in one document
MAX_QUERY_DEPTH = 12  # nested selections (introspection fields are not counted)
MAX_VALIDATION_ERRORS = 20
CHECKED_DOCUMENTS = 512  # parsed and validated documents kept, by their text
INTERNAL_ERROR = "internal error: the request could not be completed; the server log has details"

log = logging.getLogger("qianwan.api")


@dataclass(frozen=True)
class Reply:
    """The HTTP status and the JSON body to send."""

    status: int
    body: dict[str, Any]


@functools.lru_cache(maxsize=8)
def permission_middleware(schema: graphene.Schema) -> PermissionMiddleware:
    return PermissionMiddleware(schema)


def request_error(message: str, code: str, status: int = 400) -> Reply:
    return Reply(status, {"errors": [{"message": message, "extensions": {"code": code}}]})


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


def parse_request(body: bytes) -> GraphQLRequest | Reply:
    """The JSON body ``{query, variables, operationName}``, or the reply refusing it."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return request_error("the body is not valid JSON", "body_not_json")
    if isinstance(data, list):
        message = "send one operation per request: batches (JSON arrays) are not accepted"
        return request_error(message, "batch_not_supported")
    if not isinstance(data, dict):
        return request_error("the body must be a JSON object", "body_not_object")
    query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        return request_error("`query` must be a non-empty string", "query_missing")
    if variables is not None and not isinstance(variables, dict):
        return request_error("`variables` must be an object", "variables_not_object")
    if name is not None and not isinstance(name, str):
        return request_error("`operationName` must be a string", "operation_name_invalid")
    return GraphQLRequest(query, variables, name)


@functools.lru_cache(maxsize=CHECKED_DOCUMENTS)
def checked_document(
    schema: graphene.Schema, query: str, introspection: bool
) -> DocumentNode | tuple[dict[str, Any], ...]:
    """The document parsed and validated, or the errors that refuse it. Kept by its text: a
    platform sends the same few documents with other variables, and validation (every rule of
    the spec over the schema, then the depth rule) costs more than most queries' SQL. Neither
    depends on who asks or on the variables; the limits that do are checked per request."""
    try:
        document = parse(query, max_tokens=MAX_QUERY_TOKENS)
    except GraphQLError as error:
        return (dict(error.formatted),)
    errors = validate(schema.graphql_schema, document, max_errors=MAX_VALIDATION_ERRORS)
    if not errors:  # the depth rule assumes a document that is valid otherwise
        rules = [depth_limit_validator(max_depth=MAX_QUERY_DEPTH)]
        if not introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        errors = validate(schema.graphql_schema, document, rules)
    if errors:
        return tuple(dict(e.formatted) for e in errors)
    return document


def run(
    schema: graphene.Schema,
    request: GraphQLRequest,
    context: RequestContext,
    introspection: bool = True,
) -> Reply:
    checked = checked_document(schema, request.query, introspection)
    if not isinstance(checked, DocumentNode):
        return Reply(400, {"errors": [dict(e) for e in checked]})
    document = checked
    bad_text = text_refusal(request.query, document, request.variables, request.operation_name)
    if bad_text is not None:
        extensions = {"code": bad_text.code, "field": bad_text.field}
        return Reply(400, {"errors": [{"message": bad_text.message, "extensions": extensions}]})
    operation = get_operation_ast(document, request.operation_name)
    if operation is None:
        wanted = request.operation_name
        message = f"no operation named {wanted!r}" if wanted else "give the operationName to run"
        return request_error(message, "operation_not_found")
    refused = check_limits(schema.graphql_schema, document, operation, request.variables)
    if refused is not None:
        return request_error(refused.message, refused.code)

    async def execute_here() -> ExecutionResult:
        result = execute(
            schema.graphql_schema,
            document,
            context_value=context,
            variable_values=request.variables,
            operation_name=request.operation_name,
            middleware=[permission_middleware(schema)],
        )
        return await result if isawaitable(result) else result

    store = context.registry.store
    store.take_notes()  # this thread's notes are this request's from here on
    result = asyncio.run(execute_here())
    failures = list(result.errors or ())
    shown = [format_error(e) for e in failures]
    if result.data is None and failures and all(e.path is None for e in failures):
        return Reply(400, {"errors": shown})  # refused before running: bad variable values
    body: dict[str, Any] = (
        {"data": result.data, "errors": shown} if shown else {"data": result.data}
    )
    warnings = read_model_warnings(context, store.take_notes())
    if warnings:
        body["extensions"] = {"warnings": warnings}
    return Reply(200, body)


def read_model_warnings(context: RequestContext, notes: list[str]) -> list[dict[str, Any]]:
    """What the caller should know about the read models the answer came from: a command
    recorded but not yet folded, or projections halted at an event they cannot fold (the
    answer may be behind the log: projections/runner.py, "Halting")."""
    warnings: list[dict[str, Any]] = []
    if READ_MODELS_BEHIND in notes:
        warnings.append(
            {
                "code": READ_MODELS_BEHIND,
                "message": "recorded; the read models have not shown it yet and catch up shortly",
            }
        )
    halted = context.registry.runner.halted()
    if halted:
        warnings.append(
            {
                "code": "read_model_halted",
                "message": "some read models stopped at an event they cannot fold; what they "
                "show ends before it (an operator has been told)",
                "projections": sorted(halted),
            }
        )
    return warnings


def format_error(error: GraphQLError) -> dict[str, Any]:
    """GraphQL errors as the spec shapes them, never with a traceback. A domain refusal keeps
    its code; anything unexpected is logged and shown only as an internal error."""
    formatted = error.formatted
    original = error.original_error
    if isinstance(original, DomainError):
        formatted["message"] = original.message
        formatted["extensions"] = {"code": original.code, "field": graphql_path(original.field)}
    elif original is not None and not isinstance(original, GraphQLError):
        log.error("GraphQL resolver failed at %s", error.path, exc_info=original)
        formatted["message"] = INTERNAL_ERROR
        formatted["extensions"] = {"code": "internal_error"}
    return dict(formatted)
