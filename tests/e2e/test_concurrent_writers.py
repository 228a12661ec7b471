"""Many clients writing at once through one server: each gets either success or a clean,
retryable refusal, never an internal error, and nothing is recorded that a client was told
failed (on SQLite this is the district deployment: one file, one server, many accountants)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from sqlalchemy import func, select

from projections.assets import register
from tests.e2e.conftest import Api
from tests.e2e.documents import REGISTER_ASSET, TRIAL_BALANCE, register_variables
from tests.support import VILLAGE

CLIENTS = 6
WRITES_PER_CLIENT = 15
READERS = 4
THREAD_TIMEOUT_SECONDS = 600
RETRYABLE = {"database_busy", "database_unavailable", "write_outcome_unknown"}


def send_all(api: Api, clients: list[list[dict[str, Any]]]) -> list[list[httpx.Response]]:
    """Each client (a thread, as browsers and platform jobs are) sends its requests one after
    the other; the clients start together."""
    start = threading.Barrier(len(clients))
    answers: list[list[httpx.Response]] = [[] for _ in clients]

    def client(n: int) -> None:
        start.wait()
        for body in clients[n]:
            answers[n].append(api.post(body["query"], body["variables"]))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a client never got its answer"
    return answers


def test_concurrent_writers_each_get_success_or_a_retryable_refusal_and_nothing_unknown(
    api: Api,
) -> None:
    writers = [
        [
            {"query": REGISTER_ASSET, "variables": register_variables(f"ZC-C{c}{n}")}
            for n in range(WRITES_PER_CLIENT)
        ]
        for c in range(CLIENTS)
    ]
    read = {"query": TRIAL_BALANCE, "variables": {"village": VILLAGE, "asOf": "2024-12-31"}}
    readers = [[read] * WRITES_PER_CLIENT for _ in range(READERS)]
    before = api.registry.store.last_notification_id()

    answered = send_all(api, [*writers, *readers])

    responses = [r for client in answered for r in client]
    writes = CLIENTS * WRITES_PER_CLIENT
    succeeded: list[str] = []
    for response in responses[:writes]:
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body  # no internal_error, no top-level failure
        result = body["data"]["registerAsset"]
        if result["errors"]:
            assert {e["code"] for e in result["errors"]} <= RETRYABLE, result["errors"]
        else:
            succeeded.append(result["asset"]["assetCode"])
    for response in responses[writes:]:
        assert response.status_code == 200, response.text
        assert "errors" not in response.json(), response.json()
    with api.registry.engine.connect() as conn:
        registered = set(conn.scalars(select(register.c.asset_code)))
        count = conn.scalar(select(func.count()).select_from(register))
    assert registered == set(succeeded)  # recorded exactly what the clients were told
    assert count == len(succeeded)
    assert len(succeeded) == writes  # one server takes them all in turn within its wait
    assert api.registry.store.last_notification_id() > before
