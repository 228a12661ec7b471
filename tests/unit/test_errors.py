"""The registry of refusal codes: stable, unique, documented."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import domain
import domain.assets.errors
import domain.policy.errors
import domain.reference.errors
from domain.shared.errors import DomainError, InvalidInput, all_error_classes

CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@pytest.fixture(scope="module", autouse=True)
def every_domain_module_imported() -> None:
    """The registry finds the subclasses that are imported: import every context's modules."""
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)


def test_every_error_class_has_a_code_of_its_own() -> None:
    codes = [c.code for c in all_error_classes()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


def test_every_error_class_has_a_docstring_of_its_own() -> None:
    undocumented = [c.__qualname__ for c in all_error_classes() if not (c.__doc__ or "").strip()]
    assert undocumented == []


def test_every_code_reads_as_snake_case_words() -> None:
    assert [c.code for c in all_error_classes() if not CODE.fullmatch(c.code)] == []


def test_the_registry_finds_the_errors_of_every_context() -> None:
    found = set(all_error_classes())
    for module in (domain.assets.errors, domain.policy.errors, domain.reference.errors):
        declared = {
            v
            for v in vars(module).values()
            if isinstance(v, type)
            and issubclass(v, DomainError)
            and v.__module__ == module.__name__
        }
        assert declared, module.__name__
        assert declared <= found, module.__name__
    assert len(found) >= 40


def test_an_error_shows_its_code_and_keeps_its_field() -> None:
    error = InvalidInput("area_m2 must be positive", field="area_m2")
    assert str(error) == "[invalid_input] area_m2 must be positive"
    assert error.message == "area_m2 must be positive"
    assert error.field == "area_m2"
    assert InvalidInput("no field").field is None
