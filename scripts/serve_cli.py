"""The ``qianwan`` commands that start a registry: ``serve`` (one process folding inline, or
``--workers`` server processes with ``--projections worker``, docs/scaling.md) and ``demo``
(load the demo district). Thin: parse, call the applications, start uvicorn."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from typing import Any

from domain.audit.errors import EventSigningKeyNotConfigured
from qianwan.bootstrap import Registry
from qianwan.keys import check_ready_to_serve, development_warnings
from scripts.common import EXIT_OK, AddressNotUsable, port_number, positive, redacted
from scripts.demo import DemoSummary, demo_loaded, load_demo
from scripts.token_cli import ensure_demo_tokens, print_demo_tokens

INLINE, WORKER = "inline", "worker"  # as qianwan.bootstrap names them


def add_serve_commands(commands: Any) -> None:
    """Register ``serve`` and ``demo`` on the ``qianwan`` parser's subparsers."""
    serve = commands.add_parser(
        "serve",
        help="serve the workbench at / and the GraphQL API at /graphql (GraphiQL in a browser)",
        description="Serve the workbench (web pages for accountants and auditors) at "
        "http://HOST:PORT/ and the GraphQL API at http://HOST:PORT/graphql until interrupted.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--demo",
        action="store_true",
        help="development mode (as --dev), and first load the demo district, if the database "
        "holds no events yet, and print the demo's admin and platform API tokens (kept in "
        "var/demo-tokens.txt)",
    )
    add_dev_option(serve)
    # The scaled options (docs/scaling.md).
    serve.add_argument("--workers", type=positive, default=1, help="server processes (default 1)")
    serve.add_argument(
        "--projections",
        choices=(INLINE, WORKER),
        default=INLINE,
        help="inline (default): each command folds the projections before it returns; "
        "worker: a separate `qianwan project --follow` folds, commands wait for it",
    )
    serve.set_defaults(run=run_serve, creates_database=True)

    demo = commands.add_parser(
        "demo",
        help="load the demo district: 8 towns, 32 villages, revitalized assets (invented data)",
        description="Record the demo district through the applications. Safe to repeat: "
        "what is recorded already is skipped.",
    )
    add_dev_option(demo)
    demo.set_defaults(run=run_demo, creates_database=True)


def add_dev_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dev",
        action="store_true",
        help="development mode, for invented data only: events signed with a development key "
        "(var/dev-keys/, made on first use) unless QIANWAN_EVENT_KEY_FILE is set, and the "
        "public development secret for personal data unless QIANWAN_PERSONAL_DATA_SECRET is set",
    )


def run_serve(registry: Registry, args: argparse.Namespace) -> int:
    """One process folding inline: ``qianwan serve`` as it always was. Otherwise uvicorn starts
    ``--workers`` processes, each with its own registry (api/app.py ``app_from_env``)."""
    check_listen_address(args.host, args.port)
    if args.workers == 1 and args.projections == INLINE:
        return run_serve_inline(registry, args)
    return run_serve_scaled(registry, args)


def run_serve_inline(registry: Registry, args: argparse.Namespace) -> int:
    # Imported here: only this command needs the web stack.
    import uvicorn

    from api.app import create_app
    from api.serving import HTTP_PROTOCOL, WS_PROTOCOL
    from qianwan.heap import freeze_startup_heap

    ready_to_serve(registry)
    if args.demo:
        require_signing_key(registry)
        events = registry.store.last_notification_id()
        if events == 0:
            print_loaded(load_demo(registry, progress=True))
        else:
            print(f"demo: not loaded, the database already holds {events} events")
        print_demo_tokens(ensure_demo_tokens(registry))
    registry.runner.catch_up()
    print(f"database: {redacted(registry.settings.database_url)}")
    print(f"workbench: http://{args.host}:{args.port}/  (工作台: sign in as a web user)")
    print(f"GraphQL:   http://{args.host}:{args.port}/graphql", flush=True)
    app = create_app(registry)
    freeze_startup_heap()  # qianwan/heap.py
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        http=HTTP_PROTOCOL,
        ws=WS_PROTOCOL,
        log_level="info",
    )
    return EXIT_OK


def run_serve_scaled(registry: Registry, args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import PROJECTIONS_ENV
    from api.serving import HTTP_PROTOCOL, WS_PROTOCOL

    ready_to_serve(registry)
    if not registry.settings.is_postgres and args.workers > 1:
        print("note: several processes on one SQLite file take turns to write", file=sys.stderr)
    if args.demo:
        run_demo(registry, args)
        print_demo_tokens(ensure_demo_tokens(registry))
    if args.projections == INLINE:
        registry.runner.catch_up()
    os.environ[PROJECTIONS_ENV] = args.projections
    os.environ.update(registry.settings.to_env())  # keys and mode, for every server process
    print(f"database: {redacted(registry.settings.database_url)}")
    print(f"projections: {args.projections}; {args.workers} server processes")
    print(f"workbench: http://{args.host}:{args.port}/  (工作台: sign in as a web user)")
    print(f"GraphQL:   http://{args.host}:{args.port}/graphql", flush=True)
    uvicorn.run(
        "api.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        http=HTTP_PROTOCOL,
        ws=WS_PROTOCOL,
        log_level="info",
    )
    return EXIT_OK


def ready_to_serve(registry: Registry) -> None:
    """Refuses to serve without the keys production needs; warns of development ones."""
    check_ready_to_serve(registry.settings)
    for line in development_warnings(registry.settings, registry.event_keys):
        print(line, file=sys.stderr, flush=True)


def check_listen_address(host: str, port: int) -> None:
    """Bind once before the server starts: a host or port it cannot listen on is a coded
    failure here, rather than uvicorn's log lines and its exit status 3."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except (OSError, ValueError) as error:  # unknown host, in use, not permitted; NUL, IDNA
        raise AddressNotUsable(f"cannot listen on {host}:{port}: {error}") from None


def run_demo(registry: Registry, args: argparse.Namespace) -> int:
    if demo_loaded(registry):
        print("The demo district is loaded already; nothing to do.")
        return EXIT_OK
    require_signing_key(registry)  # before the first of thousands of events, not at it
    print_loaded(load_demo(registry, progress=True))
    print("Try: qianwan trial-balance 320117107206")
    return EXIT_OK


def require_signing_key(registry: Registry) -> None:
    if registry.event_keys.signer is None:
        raise EventSigningKeyNotConfigured(
            "no event signing key is configured, so nothing can be recorded: set "
            "QIANWAN_EVENT_KEY_FILE (`qianwan keygen --purpose events --dir DIR`), or load the "
            "demo in development mode (--dev)"
        )


def print_loaded(summary: DemoSummary) -> None:
    print(
        f"demo district: {summary.villages} villages, {summary.assets} assets; "
        f"{summary.events} events recorded in {summary.seconds:.1f} s"
    )
