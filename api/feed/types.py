# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""One event of the change feed, as a subscriber receives it."""

from __future__ import annotations

import graphene

from api.common import JSON


class FeedEvent(graphene.ObjectType):
    """A recorded event. `notificationId` is its place in the log: keep the last one received
    and subscribe again with `after` set to it to resume without a gap or a repeat."""

    village_key = "village_code"  # a token limited to villages receives only theirs

    notification_id = graphene.Int(
        required=True, description="Its place in the log; resume with `after` = the last one."
    )
    event_type = graphene.String(
        required=True, name="type", description="e.g. Asset.Registered, Asset.Contracted"
    )
    aggregate_id = graphene.ID(required=True)
    version = graphene.Int(required=True, description="1 for the creating event, then +1 each.")
    recorded_at = graphene.DateTime(required=True, description="When it was recorded (UTC).")
    village_code = graphene.String(
        description="The village it belongs to (null: a district, a town, a policy above a "
        "village)."
    )
    actor = graphene.String(
        description="Who recorded it; null for a caller who may not see personal data (an "
        "actor names a person)."
    )
    payload = graphene.Field(
        graphene.NonNull(JSON),
        description="The event's own fields (money as strings of yuan, dates ISO 8601); an "
        "elder's name and ID number are never in it, and a natural person's name is masked "
        "(王*) for a caller who may not see personal data.",
    )
