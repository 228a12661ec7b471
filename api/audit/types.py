# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""An aggregate's history as auditors read it: every recorded event with its provenance."""

from __future__ import annotations

import graphene

from api.common import JSON


class HistoryEvent(graphene.ObjectType):
    """One recorded event. Events are never edited or deleted; mistakes are corrected by
    later events."""

    aggregate_id = graphene.ID(required=True)
    version = graphene.Int(required=True, description="1 for the creating event, then +1 each.")
    event_type = graphene.String(
        required=True, name="type", description="e.g. Asset.Registered, Asset.Contracted"
    )
    recorded_at = graphene.DateTime(required=True, description="When it was recorded (UTC).")
    actor = graphene.String(required=True, description="Who recorded it.")
    authority = graphene.String(description="The resolution or document it rests on.")
    payload = graphene.Field(
        graphene.NonNull(JSON),
        description="The event's own fields (money as strings of yuan, dates ISO 8601).",
    )
