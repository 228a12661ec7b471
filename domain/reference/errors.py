"""Refusals of the reference-data context (district → towns → villages)."""

from __future__ import annotations

from domain.shared.errors import DomainError


class ReferenceError(DomainError):
    """A refusal of the reference-data context; the subclasses say which."""

    code = "reference_error"


class PlaceRegisteredDifferently(ReferenceError):
    """A district, town or village with this code is already registered with other details."""

    code = "place_registered_differently"


class ParentPlaceNotRegistered(ReferenceError):
    """A town needs its district registered first; a village needs its town."""

    code = "parent_place_not_registered"


class CodeNotUnderParent(ReferenceError):
    """A town code starts with its district code; a village code with its town code."""

    code = "code_not_under_parent"
