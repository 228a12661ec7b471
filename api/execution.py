"""One GraphQL request, start to end: parse, validate, check the limits, execute, format.
Synchronous on purpose: the HTTP endpoint runs it on a worker thread, where execution gets a
fresh event loop of its own (so resolvers may do blocking database work and DataLoaders still
batch). Every refusal carries ``extensions.code``, GraphQL's own parse and validation errors
included (their messages are the spec's)."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from dataclasses import dataclass, field
from inspect import isawaitable
from itertools import accumulate
from typing import Any

import graphene
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)

from api.answers import Answer, cacheable, question, scope_of
from api.auth.middleware import PermissionMiddleware
from api.common import RequestContext, graphql_path
from api.limits import (
    MAX_VALUE_NESTING,
    BudgetedExecution,
    Refusal,
    ResponseTooLarge,
    document_size,
)
from api.query_cost import check_limits
from api.responses import (
    DATABASE_UNAVAILABLE,
    INTERNAL_ERROR,
    RETRY_AFTER,
    encode_json,
    is_database_unavailable,
)
from api.text import text_refusal
from domain.shared.errors import DomainError
from domain.shared.eventstore import READ_MODELS_BEHIND, RECORDED
from projections.db import read_positions

MAX_QUERY_TOKENS = 10_000  # lexical tokens in one document
MAX_VALIDATION_ERRORS = 20
MAX_RESPONSE_BYTES = 10_000_000  # the JSON of one query's answer
CHECKED_DOCUMENTS = 512  # parsed and validated documents kept, by their text
PARSE_FAILED = "graphql_parse_failed"
VALIDATION_FAILED = "graphql_validation_failed"
INTROSPECTION_DISABLED = "introspection_disabled"
VARIABLES_INVALID = "variables_invalid"
RESPONSE_TOO_LARGE = "response_too_large"
SUBSCRIPTION_NEEDS_WEBSOCKET = "subscription_needs_websocket"  # the change feed: api/feed

log = logging.getLogger("qianwan.api")


@dataclass(frozen=True)
class Reply:
    """The HTTP status and the JSON body to send."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None  # the body as JSON, when it was encoded already


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


# A JSON string (its escapes included), and the bytes that are not brackets.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 and -1 as signed bytes


def json_nesting(body: bytes) -> int:
    """How deep arrays and objects nest in a JSON text, read without parsing it (the parser
    recurses, and a body nested 100,000 deep would exhaust the stack): strings are dropped,
    then each bracket steps the depth by one, all in C."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    steps = memoryview(brackets.translate(_BRACKET_STEPS)).cast("b")
    return max(accumulate(steps), default=0)


def parse_request(body: bytes) -> GraphQLRequest | Reply:
    """The JSON body ``{query, variables, operationName}``, or the reply refusing it."""
    if json_nesting(body) > MAX_VALUE_NESTING:
        message = f"the body nests arrays and objects more than {MAX_VALUE_NESTING} deep"
        return request_error(message, "body_too_deep")
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
    the spec over the schema) costs more than most queries' SQL. Neither depends on who asks or
    on the variables; the limits that do are checked per request."""
    try:
        document = parse(query, max_tokens=MAX_QUERY_TOKENS)
    except GraphQLError as error:
        return (coded(error, PARSE_FAILED),)
    except RecursionError:  # (the parser reports deep nesting as a syntax error itself: a fallback)
        return (refusal(Refusal(PARSE_FAILED, "Syntax Error: the document nests too deeply")),)
    too_large = document_size(document)
    if too_large is not None:  # before validation, whose work grows faster than the document
        return (refusal(too_large),)
    errors = validated(schema, document, introspection)
    return errors or document


def validated(
    schema: graphene.Schema, document: DocumentNode, introspection: bool
) -> tuple[dict[str, Any], ...]:
    """The spec's validation errors of the document, each with a code; none when it is valid."""
    errors = validate(schema.graphql_schema, document, max_errors=MAX_VALIDATION_ERRORS)
    if errors:
        return tuple(coded(e, VALIDATION_FAILED) for e in errors)
    if introspection:
        return ()
    refused = validate(schema.graphql_schema, document, [NoSchemaIntrospectionCustomRule])
    return tuple(coded(e, INTROSPECTION_DISABLED) for e in refused)


def coded(error: GraphQLError, code: str) -> dict[str, Any]:
    """The error as the spec formats it, with ``code`` unless it carries one of its own."""
    formatted: dict[str, Any] = dict(error.formatted)
    extensions: dict[str, Any] = dict(error.extensions or {})
    extensions.setdefault("code", code)
    formatted["extensions"] = extensions
    return formatted


def refusal(refused: Refusal) -> dict[str, Any]:
    return {"message": refused.message, "extensions": {"code": refused.code}}


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
    if operation.operation is OperationType.SUBSCRIPTION:
        message = "subscriptions are served over WebSocket at /graphql (graphql-transport-ws)"
        return request_error(message, SUBSCRIPTION_NEEDS_WEBSOCKET)
    refused = check_limits(schema.graphql_schema, document, operation, request.variables)
    if refused is not None:
        return request_error(refused.message, refused.code)
    query = operation.operation is OperationType.QUERY
    if not query:  # a command may wait for the projections: it holds no connection meanwhile
        return answered(schema, document, request, context, query, None)
    with context.holding_connection():  # a query: all its reads over one connection
        key = answer_key(request, context, operation, introspection)
        kept = context.answers.get(key) if key is not None and context.answers else None
        if kept is not None:
            return Reply(200, kept.body, {}, kept.content)
        return answered(schema, document, request, context, query, key)


def answered(
    schema: graphene.Schema,
    document: DocumentNode,
    request: GraphQLRequest,
    context: RequestContext,
    query: bool,
    key: tuple[Any, ...] | None,
) -> Reply:
    """Runs the operation and makes its reply; keeps a query's answer under ``key``."""
    store = context.registry.store
    store.take_notes()  # this thread's notes are this request's from here on
    result = execute_document(schema, document, request, context, query)
    notes = store.take_notes()
    failures = list(result.errors or ())
    if query and any(isinstance(e.original_error, ResponseTooLarge) for e in failures):
        return too_large(context, str(ResponseTooLarge()))
    shown = [format_error(e) for e in failures]
    if result.data is None and failures and all(e.path is None for e in failures):
        for error in shown:  # refused before running: bad variable values
            error.setdefault("extensions", {}).setdefault("code", VARIABLES_INVALID)
        return Reply(400, {"errors": shown})
    body: dict[str, Any] = (
        {"data": result.data, "errors": shown} if shown else {"data": result.data}
    )
    warnings = read_model_warnings(context, notes)
    if warnings:
        body["extensions"] = {"warnings": warnings}
    unavailable = any(e.get("extensions", {}).get("code") == DATABASE_UNAVAILABLE for e in shown)
    if unavailable and RECORDED not in notes:  # a recorded fact is never answered as failed
        return Reply(503, body, {"Retry-After": RETRY_AFTER})
    if not query:
        return Reply(200, body)
    reply = encoded(Reply(200, body), context)
    if key is not None and keeps(reply, context):
        assert context.answers is not None and reply.content is not None
        context.answers.put(key, Answer(reply.body, reply.content))
    return reply


def answer_key(
    request: GraphQLRequest,
    context: RequestContext,
    operation: OperationDefinitionNode,
    introspection: bool,
) -> tuple[Any, ...] | None:
    """The key of the answer kept for this request (api/answers.py), or None when it is not
    one to keep: not a query of the projections, no cache, or a read model halted. Reading
    the key costs one statement: the projections' positions."""
    if context.answers is None or not cacheable(operation):
        return None
    try:
        with context.reading() as conn:
            runner = context.registry.runner
            positions, halted = read_positions(conn, {p.name for p in runner.projections})
    except Exception:  # the database is away: the request itself will say so
        return None
    if halted:
        return None
    return (
        question(request.query, request.operation_name, request.variables),
        introspection,
        scope_of(context.principal),
        context.registry.clock.today(),
        positions,
    )


def keeps(reply: Reply, context: RequestContext) -> bool:
    """A complete answer with nothing personal in clear (each such read is recorded)."""
    body = reply.body
    return (
        reply.status == 200
        and reply.content is not None
        and set(body) == {"data"}
        and not context.personal_data_reads
    )


def execute_document(
    schema: graphene.Schema,
    document: DocumentNode,
    request: GraphQLRequest,
    context: RequestContext,
    budgeted: bool,
) -> ExecutionResult:
    """Runs the operation on a fresh event loop; a query within a budget of the values it
    returns (a mutation always answers what it did: its estimate bounds it already)."""

    async def execute_here() -> ExecutionResult:
        result = execute(
            schema.graphql_schema,
            document,
            context_value=context,
            variable_values=request.variables,
            operation_name=request.operation_name,
            middleware=[permission_middleware(schema)],
            execution_context_class=BudgetedExecution if budgeted else None,
        )
        return await result if isawaitable(result) else result

    return asyncio.run(execute_here())


def encoded(reply: Reply, context: RequestContext) -> Reply:
    """The reply with its JSON, unless that is larger than MAX_RESPONSE_BYTES."""
    content = encode_json(reply.body)
    if len(content) > MAX_RESPONSE_BYTES:
        message = f"the answer would be {len(content)} bytes; at most {MAX_RESPONSE_BYTES}"
        return too_large(context, message)
    return Reply(reply.status, reply.body, reply.headers, content)


def too_large(context: RequestContext, message: str) -> Reply:
    """The refusal of an answer too large to send: nothing of it was shown, so no personal
    data was read either."""
    context.personal_data_reads.clear()
    return request_error(f"{message}: ask for smaller pages or fewer fields", RESPONSE_TOO_LARGE)


def read_model_warnings(context: RequestContext, notes: list[str]) -> list[dict[str, Any]]:
    """What the caller should know about the read models the answer came from: a command
    recorded but not yet folded, or projections halted at an event they cannot fold (the
    answer may be behind the log: projections/halting.py)."""
    warnings: list[dict[str, Any]] = []
    if READ_MODELS_BEHIND in notes:
        warnings.append(
            {
                "code": READ_MODELS_BEHIND,
                "message": "recorded; the read models have not shown it yet and catch up shortly",
            }
        )
    try:
        halted = context.registry.runner.halted()
    except Exception:  # the database is away: the answer's own errors say so
        halted = {}
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
    elif original is not None and is_database_unavailable(original):
        log.warning("GraphQL resolver at %s: the database is unavailable: %s", error.path, original)
        formatted["message"] = "the database is unavailable or busy: try again shortly"
        formatted["extensions"] = {"code": DATABASE_UNAVAILABLE}
    elif original is not None and not isinstance(original, GraphQLError):
        log.error("GraphQL resolver failed at %s", error.path, exc_info=original)
        formatted["message"] = INTERNAL_ERROR
        formatted["extensions"] = {"code": "internal_error"}
    return dict(formatted)
