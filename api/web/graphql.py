"""The pages' one way to read and write: a GraphQL document run in process, as the API runs a
request (api/execution.py: limits, the text rule, permissions, scope, masking, idempotency, the
reads of personal data recorded), with the signed-in user's principal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from api.auth.personal import record_reads
from api.auth.principal import Principal
from api.common import RequestContext
from api.execution import GraphQLRequest, run
from qianwan.bootstrap import Registry


@dataclass(frozen=True)
class Problem:
    """One error of an answer: its code, the argument it concerns (a path such as
    ``resolution.votesFor``, when known) and the API's English message."""

    code: str
    field: str | None
    message: str


@dataclass
class Answer:
    status: int
    data: Any
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class GraphQLFailed(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


# graphql-core names the variable and the path inside it when a value is refused, in double or
# (graphql-core 3.2) single quotes: 'Variable "$input" got invalid value ... at "input.amount"'
_AT_PATH = re.compile(r"""at ["']([A-Za-z0-9_.\[\]]+)["']""")
_VARIABLE = re.compile(r"""Variable ["']\$([A-Za-z0-9_]+)["']""")


def problem(error: dict[str, Any]) -> Problem:
    extensions = error.get("extensions") or {}
    code = str(extensions.get("code") or "invalid_input")
    message = str(error.get("message") or "")
    where = extensions.get("field")
    if not where:
        found = _AT_PATH.search(message) or _VARIABLE.search(message)
        where = found.group(1) if found else None
    return Problem(code, str(where) if where else None, message)


def run_as(
    registry: Registry,
    schema: Any,
    principal: Principal,
    document: str,
    variables: dict[str, Any] | None,
) -> Answer:
    context = RequestContext(registry, principal.actor, principal=principal)
    reply = run(schema, GraphQLRequest(document, variables, None), context, True)
    record_reads(context, None)
    body = reply.body
    errors = [problem(e) for e in body.get("errors") or []]
    warnings = [str(w.get("code")) for w in (body.get("extensions") or {}).get("warnings", [])]
    return Answer(reply.status, body.get("data"), errors, warnings)


async def execute(
    registry: Registry,
    schema: Any,
    principal: Principal,
    document: str,
    variables: dict[str, Any] | None = None,
) -> Answer:
    return await run_in_threadpool(run_as, registry, schema, principal, document, variables)
