"""The shape of the code (docs/architecture.md): every context has the same files, no module
is too long to read, no import circles, and the events keep their topics and bytes.

The stored events are the registry's contract with every log ever written: a moved or renamed
event class would make an old log unreadable, and a changed encoding would break its seal and
signatures. tests/fixtures/event_topics.txt pins every topic; event_sample_before_issue_12.json
holds two stored events of each topic the demo district records, as recorded before the code was
reshaped (main c1e3aa3).
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.domain import CanMutateAggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from tests.conftest import Memory

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
PACKAGES = ("domain", "projections", "api", "scripts", "qianwan")
MODULE_LINES_MAX = 400
CONTEXTS = ("assets", "land", "meals", "books", "disclosure")
# What every context holds, each in one obvious file (or a package of that name).
CONTEXT_FILES = ("model", "application", "rules", "vocabulary", "policy_keys", "errors")


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        name: n
        for name, path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LINES_MAX
    }
    assert long == {}, f"modules over {MODULE_LINES_MAX} lines: {long}"


@pytest.mark.parametrize("context", CONTEXTS)
def test_every_context_has_the_same_files(context: str) -> None:
    here = ROOT / "domain" / context
    missing = [
        f for f in CONTEXT_FILES if not (here / f"{f}.py").exists() and not (here / f).is_dir()
    ]
    assert missing == [], f"domain/{context} lacks {missing}"


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every project module ``name`` imports, anywhere in it (a deferred import is still a
    dependency), resolved to the longest known module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for target in targets:
            module = target
            while module and module not in known:
                module = module.rpartition(".")[0]
            if module and module != name:
                found.add(module)
    return found


def test_no_import_circles() -> None:
    paths = dict(modules())
    known = set(paths)
    graph = {name: imports_of(name, path, known) for name, path in paths.items()}
    # A package's __init__ importing its own submodules is how a package speaks; what counts
    # is a circle between modules.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == [], "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def event_topics() -> set[str]:
    for package in ("domain",):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            importlib.import_module(info.name)
    topics: set[str] = set()
    todo: list[type] = [CanMutateAggregate]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("domain."):
            topics.add(get_topic(cls))
    return topics


def test_event_topics_are_the_pinned_ones() -> None:
    pinned = set((FIXTURES / "event_topics.txt").read_text(encoding="utf-8").split())
    assert event_topics() == pinned
    for topic in pinned:
        resolve_topic(topic)


def test_stored_events_from_before_decode_and_encode_to_the_same_bytes(memory: Memory) -> None:
    sample = json.loads((FIXTURES / "event_sample_before_issue_12.json").read_text("utf-8"))
    assert len(sample["events"]) >= 80
    mapper = memory.store.mapper
    for record in sample["events"]:
        stored = StoredEvent(
            originator_id=UUID(record["originator_id"]),
            originator_version=record["originator_version"],
            topic=record["topic"],
            state=record["state"].encode("utf-8"),
        )
        event = mapper.to_domain_event(stored)
        again = mapper.to_stored_event(event)
        assert (again.topic, again.state) == (stored.topic, stored.state), record["topic"]
