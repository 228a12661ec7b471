# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Issuing and revoking API tokens (administrators). The secret is in the payload of
``issueApiToken`` once and nowhere else."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo
from sqlalchemy import select

from api.auth.permissions import MANAGE_TOKENS
from api.auth.queries import token_view
from api.auth.types import ApiToken
from api.common import parse_id, read, rows
from api.enums import Role
from api.mutation import Authorized, CommandMutation, execute
from domain.access.application import AccessApplication, IssuedToken
from domain.access.model import ApiToken as ApiTokenAggregate
from domain.shared.values import Provenance
from projections.access import api_tokens
from qianwan.bootstrap import Registry


def access(registry: Registry) -> AccessApplication:
    return registry.access


def token_row(info: GraphQLResolveInfo, token_id: UUID) -> Any:
    query = select(api_tokens).where(api_tokens.c.token_id == str(token_id))
    found = read(info, lambda conn: rows(conn, query))
    return token_view(found[0]) if found else None


class IssueApiToken(CommandMutation):
    """Issue a token for a role. Accountants name their villages; auditors may (else they
    read the whole registry); platform and admin tokens are never limited to villages."""

    class Meta:
        permission = MANAGE_TOKENS
        creates = ApiTokenAggregate

    token = graphene.Field(ApiToken, description="The token; null when refused.")
    secret = graphene.String(
        description="The secret to send as `Authorization: Bearer <secret>`: shown this once "
        "(a retry with the same idempotencyKey does not show it again)."
    )

    class Arguments(Authorized):
        role = Role(required=True)
        name = graphene.String(required=True, description="Who or what holds it.")
        villages = graphene.List(
            graphene.NonNull(graphene.String),
            default_value=[],
            description="Village codes; omitted or empty: not limited to villages (for an "
            "auditor, the whole registry). An explicit null is refused (`token_villages_null`).",
        )
        expires_on = graphene.Date(description="The first day it no longer works.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        role: str,
        name: str,
        villages: list[str] | None,
        expires_on: date | None = None,
        authority: str | None = None,
    ) -> Any:
        def command(app: AccessApplication, by: Provenance) -> IssuedToken:
            return app.issue_token(role, villages, name, by, expires_on)

        issued, errors = execute(info, authority, access, command)
        if issued is None:
            return IssueApiToken(token=None, secret=None, errors=errors)
        return IssueApiToken(
            token=token_row(info, issued.token_id), secret=issued.secret, errors=[]
        )

    @classmethod
    async def replay(cls, info: GraphQLResolveInfo, subject_id: UUID, **more: Any) -> Any:
        return cls(token=token_row(info, subject_id), secret=None, errors=[])

    @staticmethod
    def created_id(payload: Any) -> UUID | None:
        return None if payload.token is None else UUID(payload.token["token_id"])


class RevokeApiToken(CommandMutation):
    """Revoke a token: it stops working at once. Revoking it again records nothing."""

    class Meta:
        permission = MANAGE_TOKENS

    token = graphene.Field(ApiToken, description="The token; null when refused.")

    class Arguments(Authorized):
        token_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        token_id: str,
        reason: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: AccessApplication, by: Provenance) -> UUID:
            target = parse_id(token_id, "token_id")
            app.revoke_token(target, reason, by)
            return target

        revoked, errors = execute(info, authority, access, command)
        if revoked is None:
            return RevokeApiToken(token=None, errors=errors)
        return RevokeApiToken(token=token_row(info, revoked), errors=[])


class AccessMutations(graphene.ObjectType):
    issue_api_token = IssueApiToken.Field()
    revoke_api_token = RevokeApiToken.Field()
