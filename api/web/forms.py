"""Forms of the workbench: what a form asks (``Field``), how a submitted one is shown again
with each refusal in Chinese next to the field it concerns, and how it is recorded.

A form decides nothing itself: its values go to a GraphQL mutation as they were typed (dates,
amounts and codes as text, blanks as null), and the API's refusal (its code and the argument it
names) is shown beside the matching field (``Field.path``), or above the form when it concerns
no field of it. So a rule lives in one place, the domain, for forms, GraphQL and the CLI alike.

A form that creates something carries an idempotency key made when the form was shown: sent
twice (a double click, a reload after a lost answer), it records once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from api.web.graphql import Answer, Problem
from api.web.messages import message_zh

IDEMPOTENCY_FIELD = "idempotency_key"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One input. ``path``: the GraphQL argument path its refusals name (default: ``name``);
    ``kind``: text, number, money, date, datetime, select, textarea, checkbox, file, hidden."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    path: str | None = None
    help: str | None = None
    choices: Sequence[Choice] = ()
    placeholder: str | None = None
    multiple: bool = False

    @property
    def error_path(self) -> str:
        return self.path or self.name

    def concerns(self, where: str | None) -> bool:
        """Whether a refusal naming ``where`` (``resolution.votesFor``, ``input.amount``,
        ``lines[2].amount``) concerns this field."""
        if not where:
            return False
        mine = self.error_path
        candidates = {where, where.split(".", 1)[-1]}  # with and without the input's own name
        return any(c == mine or c.startswith((mine + ".", mine + "[")) for c in candidates)


@dataclass
class FormState:
    """A form as shown: its fields, the values to show in them, and the refusals."""

    fields: Sequence[Field]
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def refused(self) -> bool:
        return bool(self.errors or self.general)

    def add(self, problem: Problem) -> None:
        text = message_zh(problem.code, problem.message)
        self.codes.append(problem.code)
        for f in self.fields:
            if f.concerns(problem.field):
                self.errors.setdefault(f.name, []).append(text)
                return
        self.general.append(text)

    def refuse(self, name: str | None, code: str) -> None:
        """A refusal found before anything was sent (a value the form could not read)."""
        self.add(Problem(code, name, code))


def blank_form(fields: Sequence[Field], values: Mapping[str, Any] | None = None) -> FormState:
    return FormState(fields, dict(values or {}))


def submitted(fields: Sequence[Field], web_fields: Mapping[str, str], key: str | None) -> FormState:
    """The form as the browser sent it (text values; files are not shown again)."""
    values = {f.name: web_fields.get(f.name, "") for f in fields if f.kind != "file"}
    state = FormState(fields, values)
    if key:
        state.idempotency_key = key[:64]
    return state


def text_or_none(value: str | None) -> str | None:
    """A typed value as the API takes it: stripped, and a blank is null."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def payload_of(answer: Answer, mutation: str) -> dict[str, Any] | None:
    data = answer.data or {}
    payload = data.get(mutation) if isinstance(data, dict) else None
    return payload if isinstance(payload, dict) else None


def outcome(state: FormState, answer: Answer, mutation: str) -> dict[str, Any] | None:
    """The mutation's payload when it recorded (or found recorded) the fact; otherwise None,
    with every refusal added to the form. A payload's ``errors`` and the answer's own errors
    (a value the schema refused, a scope, a limit) are shown alike."""
    for error in answer.errors:
        state.add(error)
    payload = payload_of(answer, mutation)
    if payload is None:
        if not answer.errors:
            state.add(Problem("internal_error", None, "no answer"))
        return None
    for error in payload.get("errors") or []:
        state.add(Problem(str(error.get("code")), error.get("field"), str(error.get("message"))))
    return None if state.refused else payload


def choices(rows: Iterable[Mapping[str, Any]], value: str, label: str) -> list[Choice]:
    return [Choice(str(r[value]), str(r[label])) for r in rows]
