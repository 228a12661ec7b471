"""Who may read an elder's name and ID number, and how they are masked for everyone else.

Personal data of elders (their name and resident ID number) is in clear only for an auditor
whose scope holds the elder's village (api/auth/personal.py decides, from the API token's role);
every such read is recorded. Everyone else sees masks: the name as its first character and `*`
(王*), the ID number as its first four and last two characters around twelve `*`
(3201************34). After erasure (the elder's key destroyed) both are null for everyone.
"""

from __future__ import annotations

from api.auth import personal
from api.common import RequestContext

ID_NUMBER_LENGTH = 18
ID_NUMBER_HEAD_CHARS = 4  # the first characters a masked ID number keeps (province and city)
ID_NUMBER_TAIL_CHARS = 2  # the last characters it keeps
MASK = "*"


def may_see_personal_data(context: RequestContext, village_code: str | None) -> bool:
    """True when the caller may read the names and ID numbers of elders of ``village_code``
    in clear: an auditor of a scope that holds the village."""
    return personal.may_see_personal_data(context, village_code)


def note_read(context: RequestContext, elder_id: str, field: str) -> None:
    """A value returned in clear: recorded once the request has run."""
    personal.note_read(context, elder_id, field)


def masked_name(name: str) -> str:
    """王桂英 → 王* (one `*` whatever the length, so the mask does not tell it); a name of one
    character would be shown whole that way, so it becomes `*`."""
    return name[:1] + MASK if len(name) > 1 else MASK


def masked_id_number(number: str) -> str:
    """320117194405061245 → 3201************45: the length is kept, the birth date and the
    sequence are not."""
    hidden = ID_NUMBER_LENGTH - ID_NUMBER_HEAD_CHARS - ID_NUMBER_TAIL_CHARS
    return number[:ID_NUMBER_HEAD_CHARS] + MASK * hidden + number[-ID_NUMBER_TAIL_CHARS:]
