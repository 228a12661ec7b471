"""The API server the benchmark measures:
``python -m scripts.bench.server --port P --seconds S [--workers N]``.

It serves the database of ``QIANWAN_DATABASE_URL`` on 127.0.0.1 only, with N processes (as
``qianwan serve --workers N``), and stops by itself after ``--seconds`` even if nobody stops it
(the benchmark also terminates it when done).
"""

from __future__ import annotations

import argparse
import os
import signal
import threading

import uvicorn

from api.serving import HTTP_PROTOCOL
from scripts.bench.graphql import LOOPBACK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True, help="stop after this long")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    timer = threading.Timer(args.seconds, os.kill, (os.getpid(), signal.SIGTERM))
    timer.daemon = True
    timer.start()
    uvicorn.run(
        "api.app:app_from_env",
        factory=True,
        host=LOOPBACK,
        port=args.port,
        workers=args.workers,
        http=HTTP_PROTOCOL,
        log_level="warning",
        access_log=False,
    )
    timer.cancel()


if __name__ == "__main__":
    main()
