"""api/web/labels.py: a Chinese label for every value of every enum the schema has."""

from __future__ import annotations

import re

import pytest

import api.books.types  # noqa: F401 (defines VoucherStatus and SubledgerCounterpartyKind)
from api.enums import VOCABULARIES
from api.web.labels import LABELS, label

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("AssetStatus", "in_arrears", "欠款中"),  # named here
        ("MealSlot", "lunch", "午餐"),  # read from domain/meals/vocabulary.py
        ("PlannedUse", "industrial", "工业用地"),  # a Use's name_zh
        ("InvoiceCorrectionReason", "amount_mistyped", "录入金额错误"),  # in brackets
        ("ParcelPaymentKind", "levy", "调节金"),
        ("VoucherStatus", "posted", "已记账"),
        ("Role", "accountant", "会计"),
        ("MealRefusalReason", "second_meal_in_slot", "同一餐次重复用餐"),
    ],
)
def test_known_values(kind: str, value: str, shown: str) -> None:
    assert label(kind, value) == shown


@pytest.mark.parametrize(
    ("kind", "value"),
    [("AssetStatus", "no_such_status"), ("NoSuchEnum", "lunch"), ("MealSlot", ""), ("", "")],
)
def test_an_unknown_kind_or_value_is_shown_as_it_is(kind: str, value: str) -> None:
    assert label(kind, value) == value


def test_every_enum_value_of_the_schema_has_a_chinese_label() -> None:
    assert set(LABELS) == set(VOCABULARIES)
    for kind, values in VOCABULARIES.items():
        assert set(LABELS[kind]) == set(values), kind
        for value in values:
            assert CJK.search(label(kind, value)), f"{kind}.{value}: {label(kind, value)!r}"
