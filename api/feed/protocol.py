"""The change feed's WebSocket endpoint at /graphql, speaking graphql-transport-ws exactly
(the protocol of the graphql-ws library, PROTOCOL.md there): subprotocol
``graphql-transport-ws``, ``connection_init`` carrying the token, ``connection_ack``,
``ping``/``pong``, ``subscribe`` → ``next``* → ``complete`` or ``error``, ``complete`` from the
client to stop one. Misuse closes the socket with the protocol's codes (CLOSE_* below); a
refused subscription is an ``error`` message whose errors carry ``extensions.code``. Nothing
that goes wrong in one connection reaches another, and no traceback reaches the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

import graphene
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from api.auth.authenticate import authenticate
from api.auth.principal import Principal
from api.auth.sessions import authenticate_session
from api.execution import GraphQLRequest, json_nesting
from api.feed.execution import Errors, checked, refused, subscribe
from api.feed.hub import FeedContext, FeedHub
from api.limits import MAX_VALUE_NESTING, Refusal
from api.responses import (
    DATABASE_UNAVAILABLE,
    INTERNAL_ERROR,
    encode_json,
    is_database_unavailable,
)
from api.web.session import CSRF_HEADER, csrf_token_of, same_token, session_secret
from qianwan.bootstrap import Registry

SUBPROTOCOL = "graphql-transport-ws"
INIT_TIMEOUT_SECONDS = 10.0  # from the socket's opening to connection_init
MAX_MESSAGE_BYTES = 64_000  # one message from the client
MAX_SUBSCRIPTIONS = 20  # running at once on one connection
MAX_CONNECTIONS_PER_TOKEN = 10  # open at once in one server process, per token or session
MAX_ID_CHARS = 128  # a subscription's id
MAX_REASON_BYTES = 120  # of a close frame's reason (RFC 6455: 123)
# How often an open connection asks again whether its token or session is still valid: a
# revoked or expired token, or a signed-out session, is closed with 4403 within this time.
RECHECK_SECONDS = 30.0

# Close codes (graphql-transport-ws; 1008 and 1009 are RFC 6455's).
CLOSE_BAD_REQUEST = 4400  # a message that is not the protocol's
CLOSE_UNAUTHORIZED = 4401  # subscribe before connection_ack
CLOSE_FORBIDDEN = 4403  # no valid token in connection_init
CLOSE_SUBPROTOCOL = 4406  # the client did not offer graphql-transport-ws
CLOSE_INIT_TIMEOUT = 4408  # no connection_init within INIT_TIMEOUT_SECONDS
CLOSE_DUPLICATE_ID = 4409  # subscribe with the id of one still running
CLOSE_TOO_MANY_INITS = 4429  # a second connection_init
CLOSE_TOO_MANY_CONNECTIONS = 1008  # MAX_CONNECTIONS_PER_TOKEN open already
CLOSE_TOO_BIG = 1009  # a message over MAX_MESSAGE_BYTES

TOO_MANY_SUBSCRIPTIONS = "feed_too_many_subscriptions"
INTERNAL = "internal_error"

log = logging.getLogger("qianwan.api")


class Closed(Exception):
    """Close the socket with ``code`` and ``reason``."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Gone(Exception):
    """The client went away while a message was being sent to it."""


class FeedEndpoint:
    """The endpoint of one app: its registry, schema and hub, and the connections per token."""

    def __init__(
        self, registry: Registry, schema: graphene.Schema, introspection: bool, hub: FeedHub
    ) -> None:
        self.registry = registry
        self.schema = schema
        self.introspection = introspection
        self.hub = hub
        self.open = Counter[str]()

    async def serve(self, websocket: WebSocket) -> None:
        if SUBPROTOCOL not in websocket.scope.get("subprotocols", []):
            await websocket.accept()
            await websocket.close(CLOSE_SUBPROTOCOL, "Subprotocol not acceptable")
            return
        await websocket.accept(subprotocol=SUBPROTOCOL)
        connection = Connection(self, websocket)
        try:
            await connection.run()
        except Closed as closed:
            await connection.close(closed.code, closed.reason)
        except (WebSocketDisconnect, Gone):
            pass
        except Exception:
            log.exception("the change feed's connection failed")
            await connection.close(1011, "internal error")
        finally:
            await connection.stop()


class Connection:
    """One socket: its principal once initialised, and its running subscriptions by id."""

    def __init__(self, endpoint: FeedEndpoint, websocket: WebSocket) -> None:
        self.endpoint = endpoint
        self.websocket = websocket
        self.principal: Principal | None = None
        self.running: dict[str, asyncio.Task[None]] = {}
        self.sending = asyncio.Lock()
        self.counted: str | None = None
        self.recheck: Callable[[], Principal | None] = nobody
        self.watching: asyncio.Task[None] | None = None

    async def run(self) -> None:
        try:  # pings are answered meanwhile, but do not stop the clock
            async with asyncio.timeout(INIT_TIMEOUT_SECONDS):
                first = await self.receive()
                while first["type"] == "ping":
                    await self.send({"type": "pong"})
                    first = await self.receive()
        except TimeoutError:
            raise Closed(CLOSE_INIT_TIMEOUT, "Connection initialisation timeout") from None
        if first["type"] == "subscribe":
            raise Closed(CLOSE_UNAUTHORIZED, "Unauthorized")
        if first["type"] != "connection_init":
            raise Closed(CLOSE_BAD_REQUEST, f"Expected connection_init, not {first['type']}")
        self.principal = await self.authenticate(first.get("payload"))
        self.watching = asyncio.create_task(self.watch())
        await self.send({"type": "connection_ack"})
        while True:
            await self.handle(await self.receive())

    async def authenticate(self, payload: Any) -> Principal:
        """The token of ``{"Authorization": "Bearer <token>"}``; or a signed-in browser's
        session cookie with the page's CSRF token (``{"X-CSRF-Token": …}``)."""
        if payload is not None and not isinstance(payload, dict):
            raise Closed(CLOSE_BAD_REQUEST, "connection_init's payload must be an object")
        given = {str(k).lower(): v for k, v in (payload or {}).items()}  # names as in HTTP
        header = given.get("authorization")
        registry = self.endpoint.registry
        secret = session_secret(self.websocket) if header is None else None  # type: ignore[arg-type]
        if secret is not None:
            csrf = given.get(CSRF_HEADER)
            if isinstance(csrf, str) and same_token(csrf, csrf_token_of(secret)):
                self.recheck = functools.partial(authenticate_session, registry, secret)
        elif isinstance(header, str):
            self.recheck = functools.partial(authenticate, registry, header)
        principal = await run_in_threadpool(self.recheck)
        if principal is None:
            raise Closed(CLOSE_FORBIDDEN, "Forbidden")
        if self.endpoint.open[principal.token_id] >= MAX_CONNECTIONS_PER_TOKEN:
            message = f"at most {MAX_CONNECTIONS_PER_TOKEN} connections per token"
            raise Closed(CLOSE_TOO_MANY_CONNECTIONS, message)
        self.endpoint.open[principal.token_id] += 1
        self.counted = principal.token_id
        return principal

    async def watch(self) -> None:
        """Close the connection once its token or session is no longer valid."""
        while True:
            await asyncio.sleep(RECHECK_SECONDS)
            if await run_in_threadpool(self.recheck) is None:
                await self.close(CLOSE_FORBIDDEN, "Forbidden: the token or session ended")
                return

    async def receive(self) -> dict[str, Any]:
        """The next message, as the protocol shapes it; anything else closes the socket."""
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if not isinstance(text, str):
            raise Closed(CLOSE_BAD_REQUEST, "messages are JSON text")
        body = text.encode("utf-8", "surrogatepass")
        if len(body) > MAX_MESSAGE_BYTES:
            raise Closed(CLOSE_TOO_BIG, f"a message is at most {MAX_MESSAGE_BYTES} bytes")
        if json_nesting(body) > MAX_VALUE_NESTING:
            raise Closed(CLOSE_BAD_REQUEST, "the message nests too deeply")
        try:
            parsed = json.loads(text)
        except ValueError:
            raise Closed(CLOSE_BAD_REQUEST, "the message is not JSON") from None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("type"), str):
            raise Closed(CLOSE_BAD_REQUEST, "a message is an object with a type")
        return parsed

    async def handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "connection_init":
            raise Closed(CLOSE_TOO_MANY_INITS, "Too many initialisation requests")
        elif kind == "subscribe":
            await self.start(subscription_id(message), request_of(message.get("payload")))
        elif kind == "complete":
            task = self.running.pop(subscription_id(message), None)
            if task is not None:
                task.cancel()
        else:
            raise Closed(CLOSE_BAD_REQUEST, f"Invalid message type {kind[:50]!r}")

    async def start(self, sid: str, request: GraphQLRequest) -> None:
        if sid in self.running:
            raise Closed(CLOSE_DUPLICATE_ID, f"Subscriber for {sid} already exists")
        if len(self.running) >= MAX_SUBSCRIPTIONS:
            message = f"at most {MAX_SUBSCRIPTIONS} subscriptions at once on one connection"
            await self.send_error(sid, refused(Refusal(TOO_MANY_SUBSCRIPTIONS, message)))
            return
        self.running[sid] = asyncio.create_task(self.served(sid, request))

    async def served(self, sid: str, request: GraphQLRequest) -> None:
        """``serve``, ending quietly when the client has gone."""
        with contextlib.suppress(Gone):
            await self.serve(sid, request)

    async def serve(self, sid: str, request: GraphQLRequest) -> None:
        endpoint = self.endpoint
        assert self.principal is not None
        try:
            document = await run_in_threadpool(
                checked, endpoint.schema, request, endpoint.introspection
            )
            if isinstance(document, list):
                await self.send_error(sid, document)
                return
            context = FeedContext(
                endpoint.registry, self.principal.actor, principal=self.principal, hub=endpoint.hub
            )
            results = await subscribe(endpoint.schema, document, request, context)
            if isinstance(results, list):
                await self.send_error(sid, results)
                return
            async for body in results:
                await self.send({"id": sid, "type": "next", "payload": body})
            await self.send({"id": sid, "type": "complete"})
        except (asyncio.CancelledError, Gone):
            raise
        except Exception as failed:
            if is_database_unavailable(failed):
                log.warning("the change feed's subscription: the database is unavailable")
                message = "the database is unavailable or busy: subscribe again shortly, after "
                message += "the last notificationId received"
                await self.send_error(sid, refused(Refusal(DATABASE_UNAVAILABLE, message)))
                return
            log.exception("the change feed's subscription %r failed", sid[:MAX_ID_CHARS])
            await self.send_error(sid, refused(Refusal(INTERNAL, INTERNAL_ERROR)))
        finally:
            if self.running.get(sid) is asyncio.current_task():
                del self.running[sid]

    async def send_error(self, sid: str, errors: Errors) -> None:
        await self.send({"id": sid, "type": "error", "payload": errors})

    async def send(self, message: dict[str, Any]) -> None:
        """Send one message; ``Gone`` when the client is no longer there to receive it."""
        text = encode_json(message).decode("utf-8")
        async with self.sending:
            if self.websocket.application_state is not WebSocketState.CONNECTED:
                raise Gone
            try:
                await self.websocket.send_text(text)
            except Exception as failed:  # the socket broke under the send (a dropped client)
                raise Gone from failed

    async def close(self, code: int, reason: str) -> None:
        async with self.sending:
            if self.websocket.application_state is WebSocketState.CONNECTED:
                # A close frame's reason is at most 123 bytes of UTF-8.
                shown = reason.encode("utf-8", "replace")[:MAX_REASON_BYTES]
                try:
                    await self.websocket.close(code, shown.decode("utf-8", "ignore"))
                except Exception:  # the client went away meanwhile
                    log.debug("closing a change feed socket that was gone", exc_info=True)

    async def stop(self) -> None:
        """The socket is done: its subscriptions stop, its token has one connection less."""
        tasks = list(self.running.values())
        self.running.clear()
        if self.watching is not None:
            tasks.append(self.watching)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.counted is not None:
            self.endpoint.open[self.counted] -= 1
            if self.endpoint.open[self.counted] <= 0:
                del self.endpoint.open[self.counted]


def nobody() -> Principal | None:
    return None


def subscription_id(message: dict[str, Any]) -> str:
    sid = message.get("id")
    if not isinstance(sid, str) or not sid or len(sid) > MAX_ID_CHARS:
        raise Closed(CLOSE_BAD_REQUEST, f"an id is a string of 1 to {MAX_ID_CHARS} characters")
    return sid


def request_of(payload: Any) -> GraphQLRequest:
    """The subscribe message's payload ``{query, variables?, operationName?, extensions?}``."""
    if not isinstance(payload, dict):
        raise Closed(CLOSE_BAD_REQUEST, "subscribe's payload must be an object")
    query, variables = payload.get("query"), payload.get("variables")
    name = payload.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise Closed(CLOSE_BAD_REQUEST, "subscribe's payload needs a query")
    if variables is not None and not isinstance(variables, dict):
        raise Closed(CLOSE_BAD_REQUEST, "subscribe's variables must be an object")
    if name is not None and not isinstance(name, str):
        raise Closed(CLOSE_BAD_REQUEST, "subscribe's operationName must be a string")
    return GraphQLRequest(query, variables, name)
