"""Where the registry keeps its data: one URL for users, mapped here (and only here) to
eventsourcing's environment keys and to SQLAlchemy's URL.

``QIANWAN_PERSONAL_DATA_SECRET``: the installation secret that wraps the per-person keys of
personal data and keys the lookup hash of ID numbers (domain/shared/keystore.py). Set it in
production and keep it outside the database and its backups; unset, a PUBLIC development default
is used, which protects nothing. It cannot be changed later without re-wrapping every key.

``QIANWAN_EVENT_KEY_FILE``: the Ed25519 private key (PEM, from ``qianwan keygen --purpose
events``) that signs every write transaction of the event log (docs/audit.md, "Event
signatures"). Keep it outside the database and its backups. Unset, nothing can be recorded, and
the server refuses to start, outside development mode.

``QIANWAN_EVENT_PUBLIC_KEYS``: more trusted event public keys (files, separated by ``:``): the
keys of earlier years after a rotation, or the key of the recording hosts for a process that
only folds (``qianwan project --follow``) or reads. The public half of the signing key is always
trusted.

``QIANWAN_DEV``: ``on`` runs in development mode (``qianwan serve --dev``, ``--demo``): events are
signed with a development key kept in ``var/dev-keys/`` (made on first use) and the public
development secret may protect personal data. Both are said loudly; neither is for real data.

``QIANWAN_GRAPHQL_INTROSPECTION``: ``off`` (or false, 0, no) refuses introspection queries
(``__schema``, ``__type``), e.g. on a public deployment; on by default.

``QIANWAN_TIME_ZONE``: the registry's time zone, an IANA name (default ``Asia/Shanghai``):
"today" and every time written without an offset are in it, whatever the host's zone
(domain/shared/clock.py). An unknown name is refused (``time_zone_unknown``) before anything opens.

``QIANWAN_FOLD_PROCESSES``: how many processes fold the projections in a rebuild and in the
projection worker (projections/parallel.py): unset or ``1`` folds them all in one process (on
two cores several measured no faster: docs/scaling.md); ``0``, one per CPU, at most one per
group of projections; ``N``, N processes.

``QIANWAN_DATABASE_URL``:
- unset: ``sqlite:///var/qianwan.sqlite3`` (relative to the working directory);
- ``sqlite:///PATH``: another SQLite file (``sqlite:////abs/path`` for an absolute one);
- ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?schema=NAME]``: PostgreSQL; the optional
  ``schema`` keeps the event table and the projection tables in that schema (created if absent).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from domain.shared.clock import DEFAULT_TIME_ZONE, Clock
from domain.shared.recorders.sqlite import SQLITE_RECORDER_TOPIC

DEFAULT_DATABASE_URL = "sqlite:///var/qianwan.sqlite3"
PROJECTION_BATCH_SIZE = 1000  # events per projection transaction
POSTGRES_CONNECT_SECONDS = 5  # waiting for a PostgreSQL connection, at most
DEV_PERSONAL_DATA_SECRET = "qianwan-development-only-personal-data-secret"  # public: dev only
DEV_KEY_DIR = Path("var/dev-keys")  # development mode only: the events' development key


def switched_on(value: str | None) -> bool:
    """An on/off setting, on unless it says off (off, false, 0, no)."""
    return (value or "on").strip().lower() not in {"off", "false", "0", "no"}


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    projection_batch_size: int = PROJECTION_BATCH_SIZE
    extra_env: dict[str, str] = field(default_factory=dict)
    personal_data_secret: str = field(default=DEV_PERSONAL_DATA_SECRET, repr=False)
    graphql_introspection: bool = True
    time_zone: str = DEFAULT_TIME_ZONE
    event_key_file: Path | None = None
    event_public_key_files: tuple[Path, ...] = ()
    development: bool = False
    fold_processes: int = 1  # 0: one per CPU, at most one per group (projections/parallel.py)

    def __post_init__(self) -> None:
        self.clock()  # an unknown zone is refused here, before anything opens

    @classmethod
    def from_env(cls, *, development: bool = False) -> Settings:
        """The settings the environment gives; ``development``: development mode whatever
        QIANWAN_DEV says (``serve --dev``)."""
        key_file = os.environ.get("QIANWAN_EVENT_KEY_FILE")
        public = os.environ.get("QIANWAN_EVENT_PUBLIC_KEYS") or ""
        return cls(
            database_url=os.environ.get("QIANWAN_DATABASE_URL") or DEFAULT_DATABASE_URL,
            personal_data_secret=(
                os.environ.get("QIANWAN_PERSONAL_DATA_SECRET") or DEV_PERSONAL_DATA_SECRET
            ),
            graphql_introspection=switched_on(os.environ.get("QIANWAN_GRAPHQL_INTROSPECTION")),
            time_zone=(os.environ.get("QIANWAN_TIME_ZONE") or "").strip() or DEFAULT_TIME_ZONE,
            event_key_file=Path(key_file) if key_file else None,
            event_public_key_files=tuple(Path(p) for p in public.split(os.pathsep) if p),
            development=development or switched_on(os.environ.get("QIANWAN_DEV") or "off"),
            fold_processes=int(os.environ.get("QIANWAN_FOLD_PROCESSES") or 1),
        )

    def clock(self) -> Clock:
        """The registry's clock in its time zone (time_zone_unknown for an unknown name)."""
        return Clock.named(self.time_zone)

    def to_env(self) -> dict[str, str]:
        """The environment variables that give these settings to another process (a server
        worker, a benchmark's subprocess)."""
        env = {
            "QIANWAN_DATABASE_URL": self.database_url,
            "QIANWAN_DEV": "on" if self.development else "off",
            "QIANWAN_GRAPHQL_INTROSPECTION": "on" if self.graphql_introspection else "off",
            "QIANWAN_EVENT_PUBLIC_KEYS": os.pathsep.join(map(str, self.event_public_key_files)),
            "QIANWAN_TIME_ZONE": self.time_zone,
            "QIANWAN_FOLD_PROCESSES": str(self.fold_processes),
        }
        if self.event_key_file is not None:
            env["QIANWAN_EVENT_KEY_FILE"] = str(self.event_key_file)
        if self.personal_data_secret != DEV_PERSONAL_DATA_SECRET:
            env["QIANWAN_PERSONAL_DATA_SECRET"] = self.personal_data_secret
        return env

    @property
    def uses_development_secret(self) -> bool:
        return self.personal_data_secret == DEV_PERSONAL_DATA_SECRET

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        assert not self.is_postgres
        parts = urlsplit(self.database_url)
        if parts.scheme != "sqlite":
            raise ValueError(f"unsupported database URL: {self.database_url!r}")
        path = unquote(parts.path)
        # sqlite:///rel/path → "/rel/path" (relative); sqlite:////abs → "//abs" (absolute)
        return Path(path[1:]) if path.startswith("/") else Path(path)

    @property
    def postgres_schema(self) -> str:
        query = parse_qs(urlsplit(self.database_url).query)
        return (query.get("schema") or ["public"])[0]

    def eventsourcing_env(self) -> dict[str, str]:
        """The environment for eventsourcing's recorders."""
        env: dict[str, str] = {}
        if self.is_postgres:
            parts = urlsplit(self.database_url)
            env.update(
                PERSISTENCE_MODULE="eventsourcing.postgres",
                POSTGRES_DBNAME=parts.path.lstrip("/") or "postgres",
                POSTGRES_HOST=parts.hostname or "127.0.0.1",
                POSTGRES_PORT=str(parts.port or 5432),
                POSTGRES_USER=unquote(parts.username or "postgres"),
                POSTGRES_PASSWORD=unquote(parts.password or ""),
                POSTGRES_SCHEMA=self.postgres_schema,
                # Off on purpose: with it on, tracking records are dropped (see STACK.md).
                POSTGRES_ENABLE_DB_FUNCTIONS="n",
                POSTGRES_POOL_SIZE="5",
                POSTGRES_LOCK_TIMEOUT="5",
                # A server that is down is told in seconds, not after minutes of retries; a
                # connection left from before a restart is noticed before it is used.
                POSTGRES_CONNECT_TIMEOUT=str(POSTGRES_CONNECT_SECONDS),
                POSTGRES_PRE_PING="y",
            )
        else:
            path = self.sqlite_path
            path.parent.mkdir(parents=True, exist_ok=True)
            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                SQLITE_DBNAME=str(path),
                SQLITE_LOCK_TIMEOUT="10",
                APPLICATION_RECORDER_TOPIC=SQLITE_RECORDER_TOPIC,
            )
        env.update(self.extra_env)
        return env

    def sqlalchemy_url(self) -> str:
        if self.is_postgres:
            parts = urlsplit(self.database_url)
            netloc = parts.netloc
            return f"postgresql+psycopg://{netloc}{parts.path}"
        return f"sqlite:///{self.sqlite_path}"
