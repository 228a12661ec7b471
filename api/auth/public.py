"""The anonymous reader of the public pages (村务公开): the principal they run GraphQL in
process as. Its role (``Role.PUBLIC``) reads the published disclosures and the places' names,
masked like the platform; no token or web user can carry it (domain/access/rules.py)."""

from __future__ import annotations

from api.auth.principal import Principal
from domain.access.roles import Role

PUBLIC_TOKEN_ID = "00000000-0000-0000-0000-000000000000"  # no token: nothing is recorded as it
PUBLIC_PRINCIPAL = Principal(
    token_id=PUBLIC_TOKEN_ID, role=Role.PUBLIC, name="公众", villages=None, username=None
)


def is_public_or_platform(principal: Principal | None) -> bool:
    """Those who see personal names masked in a disclosure (a person counterparty as 王*, no
    member of the finance group named)."""
    return principal is None or principal.role in (Role.PUBLIC, Role.PLATFORM)
