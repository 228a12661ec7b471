"""A client of qianwan's change feed (docs/api.md, "Change feed"): prints every event as one
JSON line, in the log's order, and keeps the last notification id it printed in a file, so that
a restart (or a dropped connection) resumes right after it: nothing missed, nothing twice.

    pip install 'gql[websockets]==3.5.*'
    export QIANWAN_TOKEN=qw_...          # a platform, auditor or accountant token
    python docs/examples/feed_client.py --url ws://127.0.0.1:8000/graphql \\
        --position-file feed.position --kinds Asset --place 320117107206

It speaks graphql-transport-ws through gql's WebsocketsTransport; the token goes in the
connection_init payload. Stop it with Ctrl-C; run it again to go on from where it stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from gql import Client, gql
from gql.transport.exceptions import TransportClosed, TransportQueryError
from gql.transport.websockets import WebsocketsTransport

EVENTS = gql(
    """
    subscription Feed($after: Int, $kinds: [String!], $placeCode: String) {
      events(after: $after, kinds: $kinds, placeCode: $placeCode) {
        notificationId type aggregateId version recordedAt villageCode actor payload
      }
    }
    """
)
RECONNECT_SECONDS = 2.0  # after a dropped connection, before trying again


def read_position(path: Path) -> int:
    """The last notification id handled (0: none yet)."""
    try:
        return int(path.read_text(encoding="utf-8").strip() or 0)
    except FileNotFoundError:
        return 0


def write_position(path: Path, notification_id: int) -> None:
    """Written whole or not at all (a new file renamed over the old one)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(f"{notification_id}\n", encoding="utf-8")
    partial.replace(path)


async def follow(args: argparse.Namespace, token: str, printed: int) -> int:
    """Print events after the stored position until ``--max-events`` (or forever)."""
    transport = WebsocketsTransport(
        url=args.url,
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    variables: dict[str, Any] = {
        "after": read_position(args.position_file),
        "kinds": args.kinds or None,
        "placeCode": args.place,
    }
    async with Client(transport=transport) as session:
        async for result in session.subscribe(EVENTS, variable_values=variables):
            event = result["events"]
            print(json.dumps(event, ensure_ascii=False), flush=True)
            # Handled, then remembered: a crash between the two shows this event again on
            # restart (at least once); remember first for at most once.
            write_position(args.position_file, event["notificationId"])
            printed += 1
            if args.max_events and printed >= args.max_events:
                break
    return printed


async def run(args: argparse.Namespace, token: str) -> int:
    printed = 0
    while True:
        try:
            return await follow(args, token, printed)
        except TransportQueryError as refused:  # a refusal (bad kind, a place not ours …)
            print(f"refused: {refused.errors}", file=sys.stderr)
            return -1
        except (OSError, TransportClosed) as dropped:
            print(f"connection dropped ({dropped}); resuming", file=sys.stderr)
            await asyncio.sleep(RECONNECT_SECONDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8000/graphql")
    parser.add_argument("--position-file", type=Path, default=Path("feed.position"))
    parser.add_argument("--kinds", nargs="*", help="e.g. Asset or Asset.Contracted")
    parser.add_argument("--place", help="a village (12 digits), town (9) or district (6) code")
    parser.add_argument("--max-events", type=int, default=0, help="stop after so many (0: never)")
    args = parser.parse_args(argv)
    token = os.environ.get("QIANWAN_TOKEN", "")
    if not token:
        print("set QIANWAN_TOKEN to an API token", file=sys.stderr)
        return 2
    try:
        return 0 if asyncio.run(run(args, token)) >= 0 else 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
