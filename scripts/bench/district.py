"""A synthetic district for the benchmark: towns, villages, one canteen and ``elders`` elders per
village, the meal policies, and per village two leased buildings whose rent is invoiced and
received every month. Everything is recorded through the applications, as a real district would
be; the meals are generated with a seeded random generator, so every run records the same log.

Sizes: a real district records a few hundred meals a day; ``--villages 80 --elders 60 --days 150``
is about a million events.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.assets.application import ContractInput, InstallmentInput
from domain.assets.policy_keys import DEFAULT_RESOURCE_KINDS
from domain.meals.application import CategoryInput
from domain.meals.idcard import check_character
from domain.meals.policy_keys import DEFAULT_MEAL_PRICES, DEFAULT_MEAL_SUBSIDIES
from domain.meals.uploads import MealRecordInput
from domain.reference.application import TownInput, VillageInput
from domain.shared.values import NATIONAL, Provenance
from qianwan.bootstrap import Registry

DISTRICT = "320998"  # not a real district: the benchmark's own
START = date(2024, 1, 1)  # the first day of meals
POLICIES_FROM = date(2023, 1, 1)
VILLAGES_PER_TOWN = 12
ASSETS_PER_VILLAGE = 2
MONTHLY_RENT_YUAN = "3000.00"
SEED = "qianwan-bench"
ADMIN = Provenance("bench:admin", "基准测试合成数据（bench）")
CATEGORY_CYCLE = ("dibao", "tekun", "age_80", "care_dependent", "age_75", "partly_care_dependent")
LUNCH_RATE, BREAKFAST_RATE, DINNER_RATE = 0.9, 0.3, 0.3
SERVED_AT = {"breakfast": (7, 0), "lunch": (11, 30), "dinner": (17, 45)}


@dataclass(frozen=True)
class Size:
    villages: int = 10
    elders: int = 40  # per village
    days: int = 60

    @property
    def end(self) -> date:
        """The last day of meals."""
        return START + timedelta(days=self.days - 1)

    @property
    def months(self) -> list[str]:
        """Every month that ends within the period (the ones a settlement can be drafted for)."""
        found: list[str] = []
        day = START
        while day <= self.end:
            nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
            if nxt - timedelta(days=1) <= self.end:
                found.append(f"{day:%Y-%m}")
            day = nxt
        return found


@dataclass
class District:
    """What the benchmark recorded: codes and ids it needs later."""

    size: Size
    towns: list[str]
    villages: list[str]
    points: dict[str, UUID]  # village → its canteen
    elders: dict[str, list[tuple[UUID, str]]]  # village → (elder id, category)
    assets: dict[str, list[UUID]]  # village → its leased buildings


def town_code(n: int, district: str = DISTRICT) -> str:
    return f"{district}{101 + n:03d}"


def village_code(n: int, district: str = DISTRICT) -> str:
    return f"{town_code(n // VILLAGES_PER_TOWN, district)}{201 + n % VILLAGES_PER_TOWN:03d}"


# Birth dates cycle over BIRTH_DAYS days from 1930-01-01 (to 1943-09-09), so that every
# synthetic elder is 80 by START, whichever category CATEGORY_CYCLE gives them (age_80 included).
FIRST_BIRTH = date(1930, 1, 1)
BIRTH_DAYS = 5000


def id_number(n: int) -> str:
    """A valid resident ID number, unique per n (below BIRTH_DAYS × 1,000), of someone born
    1930-01-01 … 1943-09-09."""
    born = FIRST_BIRTH + timedelta(days=n % BIRTH_DAYS)
    first = f"{DISTRICT}{born:%Y%m%d}{n // BIRTH_DAYS:03d}"
    return first + check_character(first)


def record_places(
    registry: Registry, size: Size, district: str = DISTRICT
) -> tuple[list[str], list[str]]:
    places = registry.places
    places.register_district(district, "基准区", "基准市", "江苏省", ADMIN)
    villages = [village_code(n, district) for n in range(size.villages)]
    towns = sorted({v[:9] for v in villages})
    places.register_towns(
        district,
        [TownInput(t, f"基准镇{t[-3:]}", "town", True, True, "bench") for t in towns],
        ADMIN,
    )
    for t in towns:
        mine = [v for v in villages if v.startswith(t)]
        places.register_villages(
            t,
            [
                VillageInput(v, f"基准村{v[-6:]}", f"基准村{v[-6:]}股份经济合作社", True, True)
                for v in mine
            ],
            ADMIN,
        )
    return towns, villages


def record_policies(registry: Registry, villages: list[str]) -> None:
    set_policy = registry.policies.set_policy
    on = POLICIES_FROM
    set_policy("meals.subsidy_yuan", DISTRICT, on, DEFAULT_MEAL_SUBSIDIES, "bench", ADMIN)
    set_policy("meals.standard_price_yuan", DISTRICT, on, DEFAULT_MEAL_PRICES, "bench", ADMIN)
    top_up = {f"{s}_yuan": "1.00" for s in ("breakfast", "lunch", "dinner")}
    set_policy("meals.collective_top_up_yuan", NATIONAL, on, top_up, "bench", ADMIN)
    set_policy("assets.resource_kinds", NATIONAL, on, DEFAULT_RESOURCE_KINDS, "bench", ADMIN)
    set_policy("assets.public_bidding_threshold_yuan", DISTRICT, on, "50000", "bench", ADMIN)


def record_people(
    registry: Registry, size: Size, villages: list[str], first_elder: int = 0
) -> District:
    """Meal points and elders (the setup of the meal assistance, timed as domain commands).
    first_elder: the number of the first elder's ID number (another district's elders: after
    this one's)."""
    meals = registry.meals
    points: dict[str, UUID] = {}
    elders: dict[str, list[tuple[UUID, str]]] = {}
    for n, v in enumerate(villages):
        by = Provenance(f"accountant:{v}", "bench")
        points[v] = meals.register_meal_point(
            v,
            "ST-01",
            f"长者食堂{v[-6:]}",
            "canteen",
            "collective" if n % 2 == 0 else "contractor",
            size.elders * 3 + 10,
            START,
            by,
            operator_name=None if n % 2 == 0 else "基准餐饮管理有限公司",
            delivery_offered=True,
        )
        elders[v] = []
        for k in range(size.elders):
            category = CATEGORY_CYCLE[k % len(CATEGORY_CYCLE)]
            elder_id = meals.enrol_elder(
                v,
                f"老人{n}-{k}",
                id_number(first_elder + n * size.elders + k),
                [CategoryInput(category, START)],
                START,
                by,
            )
            elders[v].append((elder_id, category))
    return District(size, [], villages, points, elders, {})


def meal_batches(
    district: District, days: range | None = None
) -> Iterator[tuple[str, date, str, list[MealRecordInput]]]:
    """(village, day, batch number, records): one batch per meal point and day, in day order,
    for the days numbered ``days`` (default: all), made as they are consumed."""
    for offset in days if days is not None else range(district.size.days):
        day = START + timedelta(days=offset)
        for v in district.villages:
            rng = random.Random(f"{SEED}/{v}/{day}")
            records: list[MealRecordInput] = []
            for k, (elder_id, category) in enumerate(district.elders[v]):
                for slot, rate in (
                    ("breakfast", BREAKFAST_RATE),
                    ("lunch", LUNCH_RATE),
                    ("dinner", DINNER_RATE),
                ):
                    if rng.random() >= rate:
                        continue
                    hour, minute = SERVED_AT[slot]
                    records.append(
                        MealRecordInput(
                            record_id=f"{day:%Y%m%d}-{k}-{slot[0]}",
                            served_at=datetime(day.year, day.month, day.day, hour, minute)
                            + timedelta(seconds=rng.randrange(3600)),
                            slot=slot,
                            elder_id=elder_id,
                            delivery=category == "care_dependent" and slot != "breakfast",
                        )
                    )
            if records:
                yield v, day, f"{day:%Y%m%d}", records


def record_assets(registry: Registry, district: District, count: Callable[[int], None]) -> None:
    """Two leased buildings per village, with a rent invoice and a receipt every month."""
    assets = registry.assets
    for v in district.villages:
        by = Provenance(f"accountant:{v}", "bench")
        district.assets[v] = []
        for k in range(ASSETS_PER_VILLAGE):
            code = f"ZC-{k + 1:03d}"
            asset_id = assets.register_asset(
                v, code, f"村集体用房{k + 1}", "collective_building", "300", "村部", START, by,
                book_value_yuan="100000",
            )  # fmt: skip
            assets.confirm_rights(asset_id, f"不动产权第{v}{k}号", START, by)
            assets.approve_revitalization(asset_id, "lease", resolution(), by)
            assets.sign_contract(asset_id, lease(code), by)
            district.assets[v].append(asset_id)
            count(4)
    for month in district.size.months:
        first = date.fromisoformat(f"{month}-01")
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        for v in district.villages:
            by = Provenance(f"accountant:{v}", "bench")
            for k, asset_id in enumerate(district.assets[v]):
                invoice = f"FP-{month}-{k}"
                assets.invoice_rent(
                    asset_id, invoice, MONTHLY_RENT_YUAN, first, first, first, last, by
                )
                assets.receive_rent(asset_id, f"SJ-{month}-{k}", invoice, MONTHLY_RENT_YUAN,
                                    first + timedelta(days=5), by)  # fmt: skip
                count(2)


def resolution() -> dict[str, object]:
    return {
        "reference": "基准村决〔2023〕1号",
        "meeting_kind": "representatives_meeting",
        "held_on": START - timedelta(days=20),
        "members_total": 30,
        "members_present": 28,
        "votes_for": 25,
        "counted_against": "total",
    }


def lease(code: str) -> ContractInput:
    return ContractInput(
        contract_no=f"HT-{code}",
        mode="lease",
        counterparty_name="基准文旅有限公司",
        counterparty_kind="organization",
        signed_on=START - timedelta(days=10),
        start_on=START,
        end_on=date(START.year + 5, START.month, START.day) - timedelta(days=1),
        rent_schedule=[InstallmentInput(START, MONTHLY_RENT_YUAN, START, START)],
        public_bidding=False,
    )


def record_settlements(
    registry: Registry,
    district: District,
    count: Callable[[int], None],
    drafted: Callable[[float], None] | None = None,
) -> None:
    """Every ended month of every canteen: drafted, submitted, verified and approved.
    drafted: told the seconds of each draft (the per-command baseline of the settling phase)."""
    meals = registry.meals
    for month in district.size.months:
        first = date.fromisoformat(f"{month}-01")
        after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        for v in district.villages:
            by = Provenance(f"accountant:{v}", "bench")
            point = district.points[v]
            sid = meals.settlement_id_of(point, month)
            started = time.perf_counter()
            meals.draft_settlement(point, month, after + timedelta(days=1), by)
            if drafted is not None:
                drafted(time.perf_counter() - started)
            meals.submit_settlement(sid, after + timedelta(days=2), by)
            meals.verify_settlement(sid, after + timedelta(days=3), ADMIN)
            meals.approve_settlement(sid, after + timedelta(days=4), by)
            count(4)
