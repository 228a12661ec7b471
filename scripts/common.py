"""What the ``qianwan`` subcommands share: exit codes, argument types, a database URL fit to
print, and the failures that are not domain refusals (each with a stable code, like the
refusals)."""

from __future__ import annotations

import argparse
import math
from datetime import date, datetime
from typing import ClassVar
from urllib.parse import urlsplit, urlunsplit

from domain.shared.clock import read_date
from domain.shared.errors import DomainError
from qianwan.settings import Settings

EXIT_OK = 0
EXIT_FAILED = 1  # a check failed: the books do not balance, the log diverges
EXIT_REFUSED = 2  # a refusal or any other failure, printed as `error: [code] message`
EXIT_INTERRUPTED = 130  # stopped with Ctrl-C (128 + SIGINT, as shells report it)
INTERNAL_ERROR = "internal_error"  # an unexpected exception: a bug; the traceback goes to a log


def redacted(url: str) -> str:
    """A database URL fit to print: its password hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def iso_date(text: str) -> date:
    """A date YYYY-MM-DD the registry can hold (domain/shared/clock.py)."""
    try:
        return read_date(text, "date")
    except DomainError as error:
        raise argparse.ArgumentTypeError(str(error)) from None  # "[date_invalid] …"


def iso_time(text: str) -> datetime:
    """An ISO 8601 time; without an offset it is in the registry's time zone (QIANWAN_TIME_ZONE,
    Asia/Shanghai by default), never the host's."""
    try:
        return Settings.from_env().clock().read_time(text, "time")
    except DomainError as error:
        raise argparse.ArgumentTypeError(str(error)) from None  # "[time_out_of_range] …"


MAX_STORED_INT = 2**63 - 1  # versions and notification ids are 64-bit integers in storage
MAX_PORT = 65_535


def bounded_int(text: str, low: int, high: int, meaning: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{meaning}, got {text}")
    return value


def positive(text: str) -> int:
    """A count of at least 1."""
    return bounded_int(text, 1, MAX_STORED_INT, "must be at least 1")


def stored_int(text: str) -> int:
    """A version or a notification id: any value storage can hold (refusals name the rest)."""
    return bounded_int(text, -MAX_STORED_INT, MAX_STORED_INT, "out of range")


def port_number(text: str) -> int:
    return bounded_int(text, 0, MAX_PORT, f"must be a port from 0 to {MAX_PORT}")


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < math.inf:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


class CommandFailed(Exception):
    """A command that could not run, for a reason that is not a domain refusal: printed as
    ``error: [code] message``, exit 2 (``scripts/cli.py`` main)."""

    code: ClassVar[str] = "command_failed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatabaseUnavailable(CommandFailed):
    """The database cannot be opened or reached (a SQLite path that is missing, unreadable or
    not a database; a PostgreSQL server that refuses, is unknown, or turns the login down)."""

    code = "database_unavailable"


class ArgumentsInvalid(CommandFailed):
    """The command line does not parse: an unknown command or option, a malformed value."""

    code = "arguments_invalid"


class OutputFileExists(CommandFailed):
    """A command writes its output to a new file and never replaces one."""

    code = "output_file_exists"


class PathNotUsable(CommandFailed):
    """A file or directory named on the command line cannot be used as asked (missing, there
    already, not a directory, not permitted)."""

    code = "path_not_usable"


class AddressNotUsable(CommandFailed):
    """The server cannot listen on the host and port asked for (unknown, in use, not ours)."""

    code = "address_not_usable"


class ProjectionStopped(CommandFailed):
    """A projection cannot fold an event (projections/projection.py ``ProjectionFailed``)."""

    code = "projection_failed"


class ProjectionUnknown(CommandFailed):
    """No projection has that name (``qianwan project --resume NAME``)."""

    code = "projection_unknown"
