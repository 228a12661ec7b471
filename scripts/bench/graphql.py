"""GraphQL under load: N clients on loopback, each sending the platform's queries one after the
other (trial balance of a village, the district's monthly summary, a page of a canteen's meals,
a balance sheet and an income statement, the dashboard over the last months, a page of assets
and the district's land) to a server started for the purpose (scripts/bench/server.py), for a
bounded number of requests and a bounded time. Reports latency percentiles per query and
requests per second."""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from qianwan.settings import Settings
from scripts.bench import district as synthetic
from scripts.bench.memory import Sampler

LOOPBACK = "127.0.0.1"  # the benchmark's server listens here only
START_TIMEOUT_SECONDS = 120
REQUEST_TIMEOUT_SECONDS = 30
PERCENTILES = (50, 95, 99)
WARM_UP_REQUESTS = 30  # per server process, before measuring
DASHBOARD_MONTHS = 12  # the dashboard asked for: the last months of the period, at most this
SINGLE_SHARE = 3  # the single client sends a third of the requests, in a third of the time

TRIAL_BALANCE = """query ($village: String!, $asOf: Date!) {
  trialBalance(villageCode: $village, asOf: $asOf) {
    totalDebit totalCredit lines { accountCode accountName debit credit } } }"""
# The platform's monthly dashboard: totals, by town and village, by category (the list per
# meal point and category is the drill-down: hundreds of rows, costing GraphQL time, not SQL).
DISTRICT_SUMMARY = """query ($district: String!, $month: String!) {
  districtMonthlySummary(districtCode: $district, month: $month) {
    income landContracted landReceived
    incomeByTown { townCode townName total villages { villageCode villageName total } }
    landByTown { townCode contracted received }
    meals { meals price government collective coPayment }
    mealsByCategory { category totals { meals government collective coPayment } } } }"""
MEAL_PAGE = """query ($point: ID!, $from: Date!, $to: Date!) {
  meals(mealPointId: $point, dateFrom: $from, dateTo: $to, first: 50) {
    edges { node { id servedOn slot category price government collective } }
    pageInfo { hasNextPage endCursor } } }"""
BALANCE_SHEET = """query ($village: String!, $asOf: Date!) {
  balanceSheet(villageCode: $village, asOf: $asOf) {
    totalAssets totalLiabilitiesAndEquity lines { lineNo name yearStart closing } } }"""
INCOME_STATEMENT = """query ($village: String!, $year: Int!, $month: Int!) {
  incomeStatement(villageCode: $village, year: $year, month: $month) {
    netIncome lines { lineNo name month yearToDate } distribution { lineNo name yearToDate } } }"""
DASHBOARD = """query ($place: String!, $from: String!, $to: String!) {
  dashboard(placeCode: $place, fromMonth: $from, toMonth: $to) {
    placeName asOn
    totals { meals price government collective coPayment eldersServed income assetsInForce
             landContracts landPrice arrears findings overdueDisclosures }
    months { key meals eldersServed income assetsInForce landPrice findings }
    areas { key name meals eldersServed income arrears findings }
    findingsByKind { kind count } } }"""
ASSET_PAGE = """query ($village: String!) {
  assets(villageCode: $village, first: 50) {
    totalCount edges { node { assetCode name kind status bookValue outstanding } } } }"""
LAND_VIEW = """query ($district: String!) {
  landDistrictView(districtCode: $district) {
    stages { stage parcels } towns { townCode parcels contractPrice received levyPaid } } }"""
# Every query of the district platform the phase sends (the targets: scripts/bench/report.py).
PLATFORM_QUERIES = (
    "trialBalance",
    "districtMonthlySummary",
    "meals",
    "balanceSheet",
    "incomeStatement",
    "dashboard",
    "assets",
    "landDistrictView",
)


@dataclass
class Load:
    clients: int
    max_requests: int
    max_seconds: float
    server_workers: int = 1
    token: str = ""  # an API token of the district platform
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        everything = [x for values in self.latencies.values() for x in values]
        return {
            "clients": self.clients,
            "server_processes": self.server_workers,
            "requests": len(everything),
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(len(everything) / self.seconds, 1) if self.seconds else 0,
            "all": percentiles(everything),
            "queries": {name: percentiles(values) for name, values in self.latencies.items()},
        }


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    found: dict[str, float] = {"count": len(ordered)}
    for p in PERCENTILES:
        at = max(0, math.ceil(p / 100 * len(ordered)) - 1)
        found[f"p{p}_ms"] = round(ordered[at] * 1000, 2) if ordered else 0.0
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def requests_for(district: synthetic.District) -> list[tuple[str, str, dict[str, Any]]]:
    """The query mix, one of each kind per village and month: (name, document, variables)."""
    size = district.size
    months = size.months or [f"{synthetic.START:%Y-%m}"]
    mix: list[tuple[str, str, dict[str, Any]]] = []
    for n, village in enumerate(district.villages):
        month = months[n % len(months)]
        first = date.fromisoformat(f"{month}-01")
        mix.append(("trialBalance", TRIAL_BALANCE, {"village": village, "asOf": str(size.end)}))
        mix.append(
            (
                "districtMonthlySummary",
                DISTRICT_SUMMARY,
                {"district": synthetic.DISTRICT, "month": month},
            )
        )
        page = {
            "point": str(district.points[village]),
            "from": str(first),
            "to": str(first + timedelta(days=6)),
        }
        mix.append(("meals", MEAL_PAGE, page))
        mix.append(("balanceSheet", BALANCE_SHEET, {"village": village, "asOf": str(size.end)}))
        statement = {"village": village, "year": first.year, "month": first.month}
        mix.append(("incomeStatement", INCOME_STATEMENT, statement))
        year = months[-DASHBOARD_MONTHS:]
        span = {"place": synthetic.DISTRICT, "from": year[0], "to": year[-1]}
        mix.append(("dashboard", DASHBOARD, span))
        mix.append(("assets", ASSET_PAGE, {"village": village}))
        mix.append(("landDistrictView", LAND_VIEW, {"district": synthetic.DISTRICT}))
    return mix


def measure(
    settings: Settings, district: synthetic.District, load: Load
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(one client alone: the latency of a request; ``load.clients`` at once: under load)."""
    port = free_port()
    env = {**os.environ, **settings.to_env()}  # the database, its keys and secrets
    alone = Load(1, max(1, load.max_requests // SINGLE_SHARE), load.max_seconds / SINGLE_SHARE)
    alone.server_workers, alone.token = load.server_workers, load.token
    limit = load.max_seconds + alone.max_seconds + START_TIMEOUT_SECONDS
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scripts.bench.server",
            "--port",
            str(port),
            "--seconds",
            str(limit),
            "--workers",
            str(load.server_workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(server, port)
        mix = requests_for(district)
        warm_up = Load(load.clients, WARM_UP_REQUESTS * load.server_workers, load.max_seconds)
        warm_up.token = load.token
        run_clients(port, mix, warm_up)  # every server process connected and loaded: not timed
        run_clients(port, mix, alone)
        with Sampler(server.pid, children=True) as memory:
            run_clients(port, mix, load)
        return alone.as_dict(), {**load.as_dict(), "server_memory": memory.result.as_dict()}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the benchmark's server exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the benchmark's server did not come up")


def run_clients(port: int, mix: list[tuple[str, str, dict[str, Any]]], load: Load) -> None:
    lock = threading.Lock()
    bearer = f"Bearer {load.token}"
    sent = [0]
    deadline = time.monotonic() + load.max_seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=REQUEST_TIMEOUT_SECONDS)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if sent[0] >= load.max_requests:
                        return
                    sent[0] += 1
                name, document, variables = rng.choice(mix)
                # bytes: headers and body leave in one send (a str body is a second send, and Nagle
                # with delayed ACKs then adds ~40 ms to every request on loopback)
                body = json.dumps({"query": document, "variables": variables}).encode()
                started = time.perf_counter()
                headers = {"Content-Type": "application/json", "Authorization": bearer}
                conn.request("POST", "/graphql", body, headers)
                response = conn.getresponse()
                reply = json.loads(response.read())
                took = time.perf_counter() - started
                with lock:
                    if response.status != 200 or reply.get("errors"):
                        load.errors += 1
                    load.latencies.setdefault(name, []).append(took)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(load.clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    load.seconds = time.perf_counter() - started
