"""docs/rules.md is the one home of every domain rule: each ``check_*`` function of a context's
rules.py cites the rule it enforces, every rule id cited anywhere in the repository is one the
page defines, and nothing cites a rules file outside the repository."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULE_ID = re.compile(r"\b[ASLMBPRVFWD]-\d{2}\b")
CITATION = re.compile(r"docs/rules\.md,? (?:the )?([ASLMBPRVFWD]-\d{2})")
SEARCHED = ("domain", "projections", "api", "scripts", "qianwan", "tests", "docs")


def defined_rules() -> set[str]:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    return set(re.findall(r"^### ([ASLMBPRVFWD]-\d{2}) ", text, flags=re.MULTILINE))


def repository_texts() -> list[tuple[Path, str]]:
    return [
        (path, path.read_text(encoding="utf-8"))
        for folder in SEARCHED
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".py", ".md"} and path.is_file()
    ] + [(ROOT / "README.md", (ROOT / "README.md").read_text(encoding="utf-8"))]


@pytest.mark.parametrize("context", ["assets", "land", "meals", "books", "access", "disclosure"])
def test_every_check_of_a_context_cites_its_rule(context: str) -> None:
    rules = importlib.import_module(f"domain.{context}.rules")
    checks = {
        name: function
        for name, function in inspect.getmembers(rules, inspect.isfunction)
        if function.__module__ == rules.__name__ and name.startswith("check_")
    }
    assert checks, f"domain/{context}/rules.py defines no rules"
    defined = defined_rules()
    uncited = sorted(
        name
        for name, function in checks.items()
        if not set(RULE_ID.findall(function.__doc__ or "")) & defined
    )
    assert uncited == []


def test_every_cited_rule_is_defined() -> None:
    defined = defined_rules()
    assert len(defined) > 50
    cited = {
        f"{path.relative_to(ROOT)}: {rule}"
        for path, text in repository_texts()
        for rule in CITATION.findall(text)
    }
    assert len(cited) > 50
    unknown = {c for c in cited if c.rpartition(": ")[2] not in defined}
    assert unknown == set()


def test_nothing_cites_a_rules_file_outside_the_repository() -> None:
    outside = re.compile(r"RULES\.md|\.\./shared/|/work/shared")
    this = Path(__file__).resolve()
    found = [
        str(path.relative_to(ROOT))
        for path, text in repository_texts()
        if path.resolve() != this and outside.search(text)
    ]
    assert found == []
