"""The server's protocol turns Nagle's algorithm off on sockets uvicorn binds with ``proto=0``
(as it does with ``--workers``), where asyncio leaves it on (api/serving.py)."""

from __future__ import annotations

import socket
from typing import Any

from api.serving import set_nodelay


class Transport:
    def __init__(self, sock: socket.socket | None) -> None:
        self.sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.sock if name == "socket" else default


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_an_accepted_tcp_connection_gets_tcp_nodelay() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:  # proto 0, as uvicorn's
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.proto == 0 and nodelay(accepted) == 0  # what asyncio would keep
                assert set_nodelay(Transport(accepted)) is True  # type: ignore[arg-type]
                assert nodelay(accepted) != 0
                client.sendall(b"ping")
                assert accepted.recv(4) == b"ping"


def test_a_unix_socket_or_no_socket_is_left_alone() -> None:
    left, right = socket.socketpair()
    with left, right:
        assert set_nodelay(Transport(left)) is False  # type: ignore[arg-type]
    assert set_nodelay(Transport(None)) is False  # type: ignore[arg-type]


def test_every_server_start_uses_the_protocol() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("scripts/cli.py", "scripts/serve_cli.py", "scripts/bench/server.py"):
        path = root / name
        text = path.read_text()
        assert text.count("uvicorn.run(") == text.count("http=HTTP_PROTOCOL"), path
