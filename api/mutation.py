# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The one base of every mutation: ``CommandMutation`` runs one application command; a command
on one object of a context (an asset, a parcel, a meal point, an elder, a meal, a settlement)
declares that object as its ``Meta.subject`` and inherits how it is run and answered.

What differs from one context to another is data, declared once per subject (``Subject``): the
application its commands run on, the payload field and loader that read it back, the argument
naming it and the owner that scopes that argument, and how a created one's id is read from the
loaded row. Everything else (the refusal as ``errors``, read-your-writes, a create's idempotency
key and its replay) is the same for every mutation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

import graphene
from graphene.types.unmountedtype import UnmountedType
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLResolveInfo

from api.auth.permissions import WRITE_RECORDS, Owner, Permission
from api.common import (
    MAX_AUTHORITY_CHARS,
    FieldError,
    RegistryLoader,
    Row,
    attempt,
    context_of,
    load,
    parse_id,
)
from api.idempotency import idempotent, watched, with_idempotency_key
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry

App = TypeVar("App")
T = TypeVar("T")
RECORDED = "False when the very same fact was recorded before (a safe retry): nothing new."


class Authorized:
    """The argument every mutation takes besides its own (``class Arguments(Authorized)``)."""

    authority = graphene.String(
        description="The resolution or document the recorded fact rests on (at most "
        f"{MAX_AUTHORITY_CHARS} characters). Who records it comes from the API token."
    )


class CommandMutation(graphene.Mutation):
    """A mutation running one application command. Its payload type is named
    ``<Mutation>Payload`` and carries ``errors`` besides the affected object.

    Meta options: ``permission`` (api/auth/permissions.py), required of every mutation;
    ``creates``, the aggregate class a create mutation creates: it then takes an
    ``idempotencyKey`` (api/idempotency.py) and implements ``created_id`` and ``replay``;
    ``subject`` (see ``Subject``), the object the command acts on."""

    class Meta:
        abstract = True

    errors = graphene.NonNull(
        graphene.List(graphene.NonNull(FieldError)),
        description="Empty on success. Otherwise why the command was refused; nothing recorded.",
    )
    permission: Any = None  # set from Meta.permission, never inherited
    creates: Any = None  # set from Meta.creates, never inherited
    subject: Subject[Any]  # set from Meta.subject (a subject's mutations only)

    @classmethod
    def __init_subclass_with_meta__(
        cls,
        name: str | None = None,
        arguments: dict[str, Any] | None = None,
        permission: Any = None,
        creates: Any = None,
        subject: Subject[Any] | None = None,
        **options: Any,
    ) -> None:
        cls.permission, cls.creates = permission, creates
        if subject is not None:
            cls.subject = subject
            setattr(cls, subject.payload_field, subject.payload)
        if arguments is None:
            arguments = declared_arguments(getattr(cls, "Arguments", None))
            if creates is not None:
                arguments = with_idempotency_key(arguments)
        super().__init_subclass_with_meta__(
            name=name or f"{cls.__name__}Payload", arguments=arguments, **options
        )

    @classmethod
    def Field(cls, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (graphene's name)
        """The field, its resolver counting what its command records (``after_command``); a
        create's handling its idempotency key too."""
        field = super().Field(*args, **kwargs)
        if cls.creates is not None:
            field.resolver = idempotent(cls, field.resolver)
        else:
            field.resolver = watched(field.resolver)
        return field

    # -- a command on the subject ---------------------------------------------------------------

    @classmethod
    async def run(
        cls,
        info: GraphQLResolveInfo,
        authority: str | None,
        command: Callable[[Any, Provenance], UUID],
        **more: Any,
    ) -> Any:
        """Run ``command`` (it returns the subject's id) on the subject's application, then read
        the subject back. Its events are folded already (read-your-writes); when it recorded
        nothing, ``after_command`` waits for the facts it answered from. ``more``: the payload's
        other fields."""
        subject_id, errors = execute(info, authority, cls.subject.application, command)
        if subject_id is None:
            return cls(errors=errors, **{cls.subject.payload_field: None}, **more)
        return await cls.replay(info, subject_id, **more)

    @classmethod
    async def act(
        cls,
        info: GraphQLResolveInfo,
        authority: str | None,
        subject_id: str,
        command: Callable[[Any, UUID, Provenance], object],
        **more: Any,
    ) -> Any:
        """Run ``command`` on the existing subject named ``subject_id`` (the value of its id
        argument: a malformed one is refused as the argument's ``invalid_input``)."""

        def on_subject(app: Any, by: Provenance) -> UUID:
            target = cls.subject.target(subject_id)
            command(app, target, by)
            return target

        return await cls.run(info, authority, on_subject, **more)

    @classmethod
    async def act_recorded(
        cls,
        info: GraphQLResolveInfo,
        authority: str | None,
        subject_id: str,
        command: Callable[[Any, UUID, Provenance], bool],
    ) -> Any:
        """``act``, for a command that answers whether it recorded a new fact (False: the very
        same fact was recorded before): the payload's ``recorded``."""
        recorded: list[bool] = []

        def recording(app: Any, target: UUID, by: Provenance) -> None:
            recorded.append(command(app, target, by))

        payload = await cls.act(info, authority, subject_id, recording)
        payload.recorded = recorded[0] if recorded else None
        return payload

    @classmethod
    async def replay(cls, info: GraphQLResolveInfo, subject_id: UUID, **more: Any) -> Any:
        """The payload of a command that affected ``subject_id`` (also: a create's retry)."""
        found = await load(info, cls.subject.loader, str(subject_id))
        return cls(errors=[], **{cls.subject.payload_field: found}, **more)

    @classmethod
    def created_id(cls, payload: Any) -> UUID | None:
        found = getattr(payload, cls.subject.payload_field)
        return None if found is None else UUID(str(cls.subject.id_of(found)))


def execute(
    info: GraphQLResolveInfo,
    authority: str | None,
    application: Callable[[Registry], App],
    command: Callable[[App, Provenance], T],
) -> tuple[T | None, list[Row]]:
    """Run ``command`` on the application as the request's actor; a refusal becomes the
    payload's ``errors`` (nothing recorded). After a command, its answer is read from the
    projections as they stand after it (``RequestContext.after_command``)."""
    context = context_of(info)
    app = application(context.registry)
    result, errors = attempt(lambda: command(app, context.provenance(authority)))
    if not errors:
        context.after_command()
    return result, errors


@dataclass(frozen=True)
class Subject(Generic[App]):
    """What the mutations of one kind of object act on, as data (``Meta.subject``)."""

    payload_field: str  # the payload's field holding the object after the command, e.g. "asset"
    type: Any  # its GraphQL object type
    description: str  # of the payload field
    application: Callable[[Registry], App]  # the application whose commands act on it
    loader: type[RegistryLoader]  # reads it back by id
    id_of: Callable[[Any], Any]  # its id in what the loader returns
    id_argument: str  # the argument naming it, e.g. "asset_id"
    owner: Owner  # who owns it: the scope rule of ``id_argument``
    payload: Any = field(init=False, compare=False)  # the payload field (declared once)

    def __post_init__(self) -> None:
        # Created here, before the mutations' own fields: the payload lists it first.
        object.__setattr__(self, "payload", graphene.Field(self.type, description=self.description))

    @property
    def writes(self) -> Permission:
        """Recording facts about it: the permission, its id argument scoped by its owner."""
        return WRITE_RECORDS.of(self.id_argument, self.owner)

    def target(self, value: str) -> UUID:
        """The id given in its argument (``invalid_input`` on the argument when not an id)."""
        return parse_id(value, to_camel_case(self.id_argument))


def declared_arguments(holder: type | None) -> dict[str, Any]:
    """The arguments in the order they are written, inherited ones (``authority``) last;
    graphene's own reading of ``Arguments`` sorts them alphabetically."""
    found: dict[str, Any] = {}
    for klass in holder.__mro__ if holder is not None else ():
        for key, value in vars(klass).items():
            if isinstance(value, (UnmountedType, graphene.Argument)) and key not in found:
                found[key] = value
    return found
