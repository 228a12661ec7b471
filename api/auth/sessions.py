"""Placeholder until web users land: no session is ever believed."""

from __future__ import annotations

from api.auth.principal import Principal
from qianwan.bootstrap import Registry


def authenticate_session(registry: Registry, secret: str | None) -> Principal | None:
    return None
