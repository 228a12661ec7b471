"""The Parcel's steps on the market and after the contract live in plain bases of the aggregate
(domain/land/market.py, domain/land/proceeds.py); their events are named on Parcel. A private
method of a step base that Parcel did not name as an event would change the parcel without
recording anything: none may exist."""

from __future__ import annotations

from eventsourcing.domain import CommandMethodDecorator

from domain.land.market import ParcelOnMarket
from domain.land.model import Parcel
from domain.land.proceeds import ParcelProceeds


def test_every_private_method_of_a_step_base_applies_an_event_of_parcel() -> None:
    applies = {
        name: value
        for base in (ParcelOnMarket, ParcelProceeds)
        for name, value in vars(base).items()
        if callable(value) and name.startswith("_") and not name.startswith("__")
    }
    assert len(applies) == 11
    for name, method in applies.items():
        named = vars(Parcel).get(name)
        assert isinstance(named, CommandMethodDecorator), f"Parcel does not name {name}"
        assert named.decorated_func is method, name
