"""The whole demo district, as an auditor checks it: every event signed by the installation's
key, the seal equal to the events, and no event the domain rules would have refused (so
``qianwan check`` has no false alarms on a genuine log of every context)."""

from __future__ import annotations

from projections.audit import verify
from projections.checks import rule_violations
from qianwan.bootstrap import Registry


def test_the_demo_log_verifies_signature_by_signature(demo: Registry) -> None:
    demo.runner.catch_up()
    result = verify(demo.store, demo.engine, event_keys=demo.event_keys.trusted)

    assert result.ok, result.divergence
    assert result.signing is not None
    assert result.signing.signed == result.events == demo.store.last_notification_id()
    assert result.signing.unsigned_prefix == 0


def test_no_event_of_the_demo_is_one_the_domain_rules_refuse(demo: Registry) -> None:
    assert rule_violations(demo.store, demo.policies) == ()
