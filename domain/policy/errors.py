"""Refusals of the policy context (rates, thresholds and lists that differ by place and date)."""

from __future__ import annotations

from domain.shared.errors import DomainError


class PolicyError(DomainError):
    """A refusal of the policy context; the subclasses say which."""

    code = "policy_error"


class PolicyKeyUnknown(PolicyError):
    """The registry has no policy of that name."""

    code = "policy_key_unknown"


class PolicyValueInvalid(PolicyError):
    """The value does not have the shape this policy needs."""

    code = "policy_value_invalid"


class JurisdictionInvalid(PolicyError):
    """A jurisdiction is ``CN`` or a 6-, 9- or 12-digit district, town or village code."""

    code = "jurisdiction_invalid"
