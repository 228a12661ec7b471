"""How uvicorn serves the API: every call site (``qianwan serve``, ``qianwan serve --workers``,
the benchmark's server) passes ``http=HTTP_PROTOCOL`` (and ``ws=WS_PROTOCOL``).

Why a protocol of our own: uvicorn answers a request in two writes (the head, then the body).
asyncio turns Nagle's algorithm off only for sockets whose ``proto`` is TCP, and with
``--workers`` uvicorn binds the listening socket itself with ``proto=0``, so the sockets it
accepts keep Nagle on: the body waits for the client's delayed ACK, ~40 ms on Linux, on every
response (measured: /healthz took 44 ms with two workers and 0.8 ms with one). This protocol
sets TCP_NODELAY on every TCP connection it is given, whatever the socket's ``proto`` says.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

HTTP_PROTOCOL = "api.serving:NoDelayH11Protocol"  # an import string: worker processes import it
# The change feed's WebSocket protocol (api/feed), passed as ``ws=WS_PROTOCOL`` likewise:
# uvicorn's own websockets implementation. Its default ("auto") picks the sans-I/O one, which
# needs websockets 13 or later; gql 3.5, the last gql for graphql-core 3.2 (which graphene 3.4
# needs), takes websockets below 12, and with those "auto" never completes a handshake.
WS_PROTOCOL = "websockets"


def set_nodelay(transport: asyncio.BaseTransport) -> bool:
    """TCP_NODELAY on the transport's socket if it is a TCP one; returns whether it was set."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    if sock.type != socket.SOCK_STREAM:
        return False
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return True


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)
