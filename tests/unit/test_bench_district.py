"""The bench's synthetic elders: every category it gives them must be one they may hold when
their meals start, at every size the bench documents (a million events: 80 villages × 60 elders,
then the settling district's 100 canteens × 60 elders after them)."""

from __future__ import annotations

from datetime import date

from domain.meals.idcard import birth_date_in, parse_id_number
from scripts.bench import district as synthetic
from scripts.bench.settling import FIRST_ELDER


def _eighty_on(day: date) -> date:
    return day.replace(year=day.year - 80)


def test_every_synthetic_elder_of_the_million_event_run_is_80_when_the_meals_start() -> None:
    main = range(80 * 60)
    settling = range(FIRST_ELDER, FIRST_ELDER + 100 * 60)
    numbers = [synthetic.id_number(n) for r in (main, settling) for n in r]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        parse_id_number(number, synthetic.START)  # a valid check character
        assert birth_date_in(number) <= _eighty_on(synthetic.START), number


def test_the_settling_elders_come_after_any_main_district_the_bench_can_build() -> None:
    # the largest documented main district (80 × 60) stays below the settling district's ids
    assert FIRST_ELDER > 80 * 60
    assert synthetic.id_number(FIRST_ELDER) not in {synthetic.id_number(n) for n in range(4800)}
