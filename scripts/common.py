"""What the ``qianwan`` subcommands share: exit codes and argument types."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime

EXIT_OK = 0
EXIT_FAILED = 1  # the books do not balance, the log diverges, or an unexpected failure
EXIT_REFUSED = 2  # a domain error or a usage error: nothing was done


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def iso_time(text: str) -> datetime:
    """An ISO 8601 time; without an offset it is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a time YYYY-MM-DDTHH:MM[:SS][+08:00]: {text!r}"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
