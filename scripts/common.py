"""What the ``qianwan`` subcommands share: exit codes and argument types."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from domain.shared.clock import read_date
from domain.shared.errors import DomainError
from qianwan.settings import Settings

EXIT_OK = 0
EXIT_FAILED = 1  # the books do not balance, the log diverges, or an unexpected failure
EXIT_REFUSED = 2  # a domain error or a usage error: nothing was done


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
