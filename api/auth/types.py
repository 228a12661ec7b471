# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""API tokens as administrators see them: never the secret, which is shown once when issued."""

from __future__ import annotations

import graphene

from api.enums import Role
from api.pagination import connection_type


class ApiToken(graphene.ObjectType):
    """A token of the GraphQL API. Only the SHA-256 of its secret is kept."""

    id = graphene.ID(required=True, source="token_id")
    role = Role(required=True)
    villages = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="The villages it is limited to; empty: not limited.",
    )
    name = graphene.String(required=True, description="Who or what holds it.")
    expires_on = graphene.Date(description="The first day it no longer works.")
    issued_at = graphene.DateTime(required=True)
    issued_by = graphene.String(required=True)
    revoked_at = graphene.DateTime()


ApiTokenConnection = connection_type(ApiToken, "A page of API tokens, newest first.")


class PersonalDataRead(graphene.ObjectType):
    """An elder's personal data returned in clear to a request (AccessLog.PersonalDataRead)."""

    elder_id = graphene.ID(required=True)
    fields = graphene.String(required=True, description="name, id_number or both.")
    token_id = graphene.ID(required=True, description="The token the request came with.")
    actor = graphene.String(required=True, description="Its name, role and id.")
    operation = graphene.String(description="The GraphQL operation name, if given.")
    read_at = graphene.DateTime(required=True)
    notification_id = graphene.Int(required=True, source="source_notification_id")


PersonalDataReadConnection = connection_type(PersonalDataRead, "A page of reads, newest first.")
