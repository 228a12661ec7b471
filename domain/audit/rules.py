"""The domain rules re-run over the log (``qianwan check``, docs/audit.md "Rules over the log").

A command checks its rules and only then records an event; a replay applies events without
asking. So an event written into the table by hand (a forged 99,999.00 receipt, a lease of 30
years, a meal served after the elder's death) replays happily. This module replays every
aggregate event by event, in log order, and for the kinds of event below asks the model again:
it calls the same command (or the same refusal method the application calls) on the aggregate
as it stood just before the event, with the event's own facts, and reports the events the rules
would have refused, or would have recorded differently. No rule is written here; only which
command each event comes from and where its arguments are.

For every event, of every kind: it decodes, its version follows the aggregate's previous one, the
first one creates the aggregate, and applying it does not fail (a receipt against an invoice the
aggregate does not have cannot even be applied).

Facts from outside the aggregate come from the replay itself (an elder's state when the meal was
recorded) or from the policies as they stand now (the public-bidding threshold on the date).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from domain.assets.billing import Installment
from domain.shared.errors import DomainError
from domain.shared.values import Provenance

MAX_AGGREGATES_IN_MEMORY = 100_000  # the rest are read again from the store when needed
MAX_FINDINGS = 1000  # reported; the rest are counted

EVENT_UNDECODABLE = "event_undecodable"
VERSION_OUT_OF_SEQUENCE = "version_out_of_sequence"
EVENT_CANNOT_BE_APPLIED = "event_cannot_be_applied"
RECORDED_TWICE = "event_recorded_twice"
RECORDED_DIFFERENTLY = "event_differs_from_what_the_rules_record"


@dataclass(frozen=True)
class RuleFinding:
    notification_id: int
    event_type: str
    code: str
    message: str


class Facts:
    """What a replayed rule may ask beyond its own aggregate."""

    def __init__(
        self, state_of: Callable[[UUID], Any], bidding_threshold: Callable[[str, Any], Decimal]
    ) -> None:
        self.state_of = state_of
        self.bidding_threshold = bidding_threshold


# (aggregate before the event, the event, facts) → what the command returned (False: "recorded
# already", a retry). Raises the DomainError the command would have raised.
Replay = Callable[[Any, Any, Facts], Any]


def by(e: Any) -> Provenance:
    return Provenance(e.actor, e.authority)


def _meal_recorded(_: Any, e: Any, facts: Facts) -> None:
    """A meal is refused for its point's reasons and its elder's, as the application asks."""
    point, elder = facts.state_of(e.meal_point_id), facts.state_of(e.elder_id)
    refusal = None
    if point is not None:
        refusal = point.meal_refusal(e.served_on, e.slot, e.delivery)
    if refusal is None and elder is not None:
        refusal = elder.meal_refusal(e.served_on)
    if point is None or elder is None:
        refusal = "meal_of_unknown_elder_or_point"
    if refusal is not None:
        raise MealRefused(f"a meal of {e.served_on} ({e.slot}) is refused: {refusal}", refusal)


class MealRefused(Exception):
    """A recorded meal the meal rules refuse; ``reason`` is the refusal a batch reports."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def _contracted(a: Any, e: Any, facts: Facts) -> Any:
    return a.sign_contract(
        e.contract_no,
        e.mode,
        e.counterparty_name,
        e.counterparty_kind,
        e.related_party,
        e.signed_on,
        e.start_on,
        e.end_on,
        [Installment(**item) for item in e.rent_schedule],
        e.public_bidding,
        facts.bidding_threshold(a.village_code, e.signed_on),
        by(e),
    )


def _disposed(a: Any, e: Any, facts: Facts) -> Any:
    threshold = facts.bidding_threshold(a.village_code, e.disposed_on)
    return a.dispose(
        e.disposed_on, e.proceeds_yuan, e.counterparty_name, e.public_bidding, threshold, by(e)
    )


RECORDED_RULES: Mapping[str, Replay] = {
    # 盘活: contracts, rent and its corrections (domain/assets/model.py)
    "Asset.Contracted": _contracted,
    "Asset.RentInvoiced": lambda a, e, _: a.invoice_rent(
        e.invoice_no, e.amount_yuan, e.issued_on, e.due_on, e.covers_from, e.covers_to, by(e)
    ),
    "Asset.RentReceived": lambda a, e, _: a.receive_rent(
        e.receipt_no, e.invoice_no, e.amount_yuan, e.received_on, e.channel, by(e)
    ),
    "Asset.InvoiceCorrected": lambda a, e, _: a.correct_invoice(
        e.invoice_no, e.corrected_amount_yuan, e.reason_code, by(e)
    ),
    "Asset.ReceiptReversed": lambda a, e, _: a.reverse_receipt(e.receipt_no, e.reason_code, by(e)),
    "Asset.RentInArrears": lambda a, e, _: a.mark_in_arrears(e.invoice_no, e.as_of, by(e)),
    "Asset.Appraised": lambda a, e, _: a.appraise(
        e.appraised_value_yuan, e.appraiser, e.report_no, e.appraised_on, by(e)
    ),
    "Asset.RightsConfirmed": lambda a, e, _: a.confirm_rights(
        e.certificate_no, e.confirmed_on, by(e)
    ),
    "Asset.ContractTerminated": lambda a, e, _: a.terminate_contract(
        e.terminated_on, e.reason, by(e)
    ),
    "Asset.Disposed": _disposed,
    # 入市: the contract price, the levy, the use right (domain/land/)
    "Parcel.InstallmentReceived": lambda a, e, _: a.receive_installment(
        e.receipt_no, e.amount_yuan, e.received_on, e.channel, by(e)
    ),
    "Parcel.ContractSigned": lambda a, e, _: a.sign_contract(
        e.contract_no, e.signed_on, e.term_start_on, by(e)
    ),
    "Parcel.LevyPaid": lambda a, e, _: a.pay_levy(e.receipt_no, e.paid_on, e.channel, by(e)),
    "Parcel.UseRightRegistered": lambda a, e, _: a.register_use_right(
        e.certificate_no, e.registered_on, by(e)
    ),
    # 老年助餐: meals, the elder's life events, settlements (domain/meals/model/)
    "Meal.Recorded": _meal_recorded,
    "Meal.Voided": lambda a, e, _: a.void(e.reason, e.voided_on, by(e)),
    "Elder.Died": lambda a, e, _: a.record_death(e.died_on, e.reported_on, by(e)),
    "Elder.Suspended": lambda a, e, _: a.suspend(e.from_on, e.reason, by(e)),
    "Elder.Moved": lambda a, e, _: a.move(e.moved_on, e.to_village_code, by(e)),
    "Elder.Resumed": lambda a, e, _: a.resume(e.resumed_on, by(e)),
    "MealSettlement.SubsidyReceived": lambda a, e, _: a.receive_subsidy(
        e.amount_yuan, e.received_on, by(e)
    ),
    "MealSettlement.Submitted": lambda a, e, _: a.submit(e.submitted_on, by(e)),
    "MealSettlement.Verified": lambda a, e, _: a.verify(e.verified_on, by(e)),
    "MealSettlement.Paid": lambda a, e, _: a.pay(e.paid_on, e.channel, by(e)),
}


def _plain(value: Any) -> Any:
    """Tuples come back from the store as lists: compare them as lists."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def facts_of(event: Any) -> dict[str, Any]:
    return {k: _plain(v) for k, v in vars(event).items() if k != "timestamp"}


class Aggregates:
    """The replayed aggregates by id, the least recently used dropped beyond a cap and read
    again from the store, at the version reached, when needed."""

    def __init__(self, load: Callable[[UUID, int], Any]) -> None:
        self._load = load
        self._states: OrderedDict[UUID, Any] = OrderedDict()
        self._versions: dict[UUID, int] = {}
        self.broken: set[UUID] = set()  # an event could not be applied: no rules after it

    def version(self, aggregate_id: UUID) -> int:
        return self._versions.get(aggregate_id, 0)

    def state(self, aggregate_id: UUID) -> Any:
        version = self._versions.get(aggregate_id, 0)
        if version == 0 or aggregate_id in self.broken:
            return None
        found = self._states.get(aggregate_id)
        if found is None:
            found = self._load(aggregate_id, version)
            self.keep(aggregate_id, found, version)
        else:
            self._states.move_to_end(aggregate_id)
        return found

    def keep(self, aggregate_id: UUID, state: Any, version: int) -> None:
        self._versions[aggregate_id] = version
        self._states[aggregate_id] = state
        self._states.move_to_end(aggregate_id)
        while len(self._states) > MAX_AGGREGATES_IN_MEMORY:
            self._states.popitem(last=False)


class RuleCheck:
    """Feed it the log's notifications in order; it collects what the rules would refuse."""

    def __init__(
        self,
        decode: Callable[[Notification], Any],
        load: Callable[[UUID, int], Any],
        bidding_threshold: Callable[[str, Any], Decimal],
    ) -> None:
        self.decode = decode
        self.aggregates = Aggregates(load)
        self.facts = Facts(self.aggregates.state, bidding_threshold)
        self.findings: list[RuleFinding] = []
        self.found = 0
        self.events = 0
        self.checked = 0  # events a recorded rule was re-run for

    def feed(self, notifications: Iterable[Notification]) -> None:
        for n in notifications:
            self.events += 1
            for finding in self._check(n):
                self.found += 1
                if len(self.findings) < MAX_FINDINGS:
                    self.findings.append(finding)

    def _check(self, n: Notification) -> list[RuleFinding]:
        event_type = n.topic.rsplit(":", 1)[-1]
        try:
            event = self.decode(n)
        except Exception as error:  # anything a forged payload can make the decoder raise
            return [RuleFinding(n.id, event_type, EVENT_UNDECODABLE, repr(error))]
        aggregate_id = event.originator_id
        expected = self.aggregates.version(aggregate_id) + 1
        if event.originator_version != expected:
            message = f"version {event.originator_version} of {aggregate_id}; expected {expected}"
            return [RuleFinding(n.id, event_type, VERSION_OUT_OF_SEQUENCE, message)]
        if aggregate_id in self.aggregates.broken:
            self.aggregates.keep(aggregate_id, None, expected)
            return []
        before = self.aggregates.state(aggregate_id)
        found = self._rerun(n.id, event_type, before, event)
        try:
            after = event.mutate(before)
        except Exception as error:
            self.aggregates.broken.add(aggregate_id)
            self.aggregates.keep(aggregate_id, None, expected)
            message = f"replaying it on {aggregate_id} fails: {error!r}"
            return [*found, RuleFinding(n.id, event_type, EVENT_CANNOT_BE_APPLIED, message)]
        self.aggregates.keep(aggregate_id, after, expected)
        return found

    def _rerun(self, nid: int, event_type: str, before: Any, event: Any) -> list[RuleFinding]:
        """Run the command the event comes from on a fresh copy of the state before it."""
        replay = RECORDED_RULES.get(event_type)
        if replay is None or (before is None and event_type != "Meal.Recorded"):
            return []
        self.checked += 1
        state = copy.deepcopy(before)  # the command may change it; the replay goes on as stored
        try:
            result = replay(state, event, self.facts)
        except MealRefused as refused:
            return [RuleFinding(nid, event_type, refused.reason, refused.message)]
        except DomainError as error:
            return [RuleFinding(nid, event_type, error.code, error.message)]
        if state is None:
            return []
        if result is False:
            message = "the same fact was recorded before: a command records it once"
            return [RuleFinding(nid, event_type, RECORDED_TWICE, message)]
        produced = state.collect_events()
        if len(produced) != 1 or facts_of(produced[0]) != facts_of(event):
            message = "the command, given this event's facts, records another event"
            return [RuleFinding(nid, event_type, RECORDED_DIFFERENTLY, message)]
        return []
