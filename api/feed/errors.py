"""The change feed's refusals: each with a stable code and a Chinese message
(api/web/messages/api.py)."""

from __future__ import annotations

from domain.shared.errors import DomainError


class FeedKindUnknown(DomainError):
    """`kinds` names an event type (`Asset.Contracted`) or an aggregate (`Asset`) the feed
    does not carry: access and security events are never in it."""

    code = "feed_kind_unknown"


class FeedTooManyKinds(DomainError):
    """`kinds` names more than 100 kinds (MAX_FEED_KINDS, api/feed/subscriptions.py)."""

    code = "feed_too_many_kinds"


class FeedPositionInvalid(DomainError):
    """`after` is a notification id: 0 or more."""

    code = "feed_position_invalid"
