# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The subscription root: ``events(after, kinds, placeCode)``, the change feed.

The arguments are checked when the subscription starts (a refusal is a GraphQL error with its
code, before anything is sent); then the stream sends the backlog after ``after`` in batches of
FEED_BATCH, then the live events as they are folded: woken by this process's saves and looking
again every POLL_SECONDS for other processes' (api/feed/reading.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import graphene
from graphql import GraphQLResolveInfo
from starlette.concurrency import run_in_threadpool

from api.auth.permissions import READ_RECORDS, Owner, PermittedField
from api.auth.personal import may_see_personal_data
from api.common import RequestContext, context_of
from api.feed.errors import FeedKindUnknown, FeedPositionInvalid, FeedTooManyKinds
from api.feed.hub import FeedContext
from api.feed.reading import POLL_SECONDS, FeedFilter, known_kind, read_batch, topics_of
from api.feed.types import FeedEvent

MAX_FEED_KINDS = 100  # kinds one subscription may name


def feed_filter(
    context: RequestContext, after: int | None, kinds: list[str] | None, place_code: str | None
) -> FeedFilter:
    """The subscription's filter, or the refusal of its arguments (the permission middleware
    checked ``placeCode`` already: a well-formed code the caller may name)."""
    if after is not None and after < 0:
        raise FeedPositionInvalid(
            f"`after` is a notification id, 0 or more: {after}", field="after"
        )
    if kinds is not None and len(kinds) > MAX_FEED_KINDS:
        raise FeedTooManyKinds(f"name at most {MAX_FEED_KINDS} kinds", field="kinds")
    for kind in kinds or ():
        if not known_kind(kind):
            raise FeedKindUnknown(
                f"{kind[:100]!r} is no kind of event the feed carries (e.g. Asset or "
                "Asset.Contracted)",
                field="kinds",
            )
    principal = context.principal
    villages = principal.villages if principal is not None else frozenset()
    place = place_code.strip() if place_code is not None else None
    return FeedFilter(topics_of(kinds), place or None, villages)


async def stream(
    context: RequestContext, after: int, wanted: FeedFilter
) -> AsyncIterator[dict[str, Any]]:
    """The events after ``after``: the backlog, then live, for as long as the client stays."""
    hub = context.hub if isinstance(context, FeedContext) else None
    wake = asyncio.Event()
    if hub is not None:
        hub.join(wake)

    def personal(village: str | None) -> bool:
        return may_see_personal_data(context, village)

    try:
        last = after
        while True:
            wake.clear()  # before reading: a save during the read wakes the next wait
            rows, reached = await run_in_threadpool(
                read_batch, context.registry, last, wanted, personal
            )
            for row in rows:
                yield row
            if reached > last:
                last = reached
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), POLL_SECONDS)
    finally:
        if hub is not None:
            hub.leave(wake)


class FeedSubscription(graphene.ObjectType):
    events = PermittedField(
        graphene.NonNull(FeedEvent),
        after=graphene.Int(
            description="The last notificationId the client has; 0 or null: from the start."
        ),
        kinds=graphene.List(
            graphene.NonNull(graphene.String),
            description="Event types (Asset.Contracted) or whole aggregates (Asset); null: all.",
        ),
        place_code=graphene.String(
            description="A village (12 digits), town (9) or district (6) code; null: every "
            "place the caller may read."
        ),
        permission=READ_RECORDS.of("place_code", Owner.PLACE),
        description="The events recorded after `after`, in the log's order, each once: the "
        "backlog first, then live. Over WebSocket (graphql-transport-ws) at /graphql; see "
        "docs/api.md, Change feed.",
    )

    @staticmethod
    def subscribe_events(
        root: Any,
        info: GraphQLResolveInfo,
        after: int | None = None,
        kinds: list[str] | None = None,
        place_code: str | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        context = context_of(info)
        wanted = feed_filter(context, after, kinds, place_code)
        return stream(context, after or 0, wanted)
