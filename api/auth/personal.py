"""Personal data of elders by role: in clear only for an auditor whose scope holds the elder's
village; masked for everyone else (名 as 王*, the ID number as 3201************34). Every value
returned in clear is noted on the request, and the request's reads are recorded as one event
(``AccessLog.PersonalDataRead``) once it has run."""

from __future__ import annotations

from uuid import UUID

from api.common import RequestContext
from domain.access.roles import Role

NAME_FIELD = "name"
ID_NUMBER_FIELD = "id_number"


def may_see_personal_data(context: RequestContext, village_code: str | None) -> bool:
    principal = context.principal
    return (
        principal is not None
        and principal.role is Role.AUDITOR
        and principal.sees_village(village_code)
    )


def note_read(context: RequestContext, elder_id: str, field: str) -> None:
    context.personal_data_reads.add((str(elder_id), field))


def record_reads(context: RequestContext, operation: str | None) -> None:
    """Record what the request returned in clear (nothing when it returned nothing)."""
    principal = context.principal
    if not context.personal_data_reads or principal is None:
        return
    elders = sorted({elder for elder, _ in context.personal_data_reads})
    fields = sorted({field for _, field in context.personal_data_reads})
    context.registry.access.record_personal_data_read(
        UUID(principal.token_id),
        elders,
        fields,
        operation,
        context.provenance(None),
    )
    context.personal_data_reads.clear()
