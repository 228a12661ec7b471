"""How the ``qianwan`` command fails: every failure, whatever raised it, becomes one line
``error: [code] message`` on stderr and exit 2 (docs/operations.md, "When a command fails").
A domain refusal keeps its code; other failures get the code of their class; anything else is
``internal_error``, a bug, with its traceback in a log file or, with ``--debug``, on stderr."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from typing import NoReturn

from domain.shared.errors import DomainError
from projections.parallel import FoldProcessFailed
from projections.projection import ProjectionFailed
from qianwan.outages import is_outage, one_line
from scripts.common import (
    EXIT_REFUSED,
    INTERNAL_ERROR,
    ArgumentsInvalid,
    CommandFailed,
    DatabaseUnavailable,
    PathNotUsable,
    ProjectionStopped,
)

# Errors of a path named on the command line (path_not_usable), even without a file name.
PATH_ERRORS: tuple[type[OSError], ...] = (
    FileExistsError,
    FileNotFoundError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)


def classify(error: Exception) -> tuple[str, str, list[str]]:
    """The code and message of any failure: a refusal's own, or that of its class."""
    if isinstance(error, DomainError):
        return error.code, error.message, [f"  ({n})" for n in getattr(error, "__notes__", ())]
    if isinstance(error, CommandFailed):
        return error.code, error.message, []
    if isinstance(error, ProjectionFailed | FoldProcessFailed):
        return ProjectionStopped.code, str(error), []
    if is_outage(error):
        return DatabaseUnavailable.code, one_line(error), []
    if isinstance(error, OSError) and (error.filename is not None or type(error) in PATH_ERRORS):
        return PathNotUsable.code, path_problem(error), []
    return INTERNAL_ERROR, "", []


def path_problem(error: OSError) -> str:
    """``[Errno 17] File exists: '/x'`` as ``File exists: /x``."""
    if error.filename is None:
        return str(error)
    return f"{error.strerror or type(error).__name__}: {error.filename}"


def failed(code: str, message: str, *more: str) -> int:
    print(f"error: [{code}] {message}", file=sys.stderr)
    for line in more:
        print(line, file=sys.stderr)
    return EXIT_REFUSED


def internal_error(error: Exception, debug: bool) -> int:
    """A bug: one line on stderr; the traceback printed with --debug, else kept in a file."""
    trace = "".join(traceback.format_exception(error))
    summary = f"{type(error).__name__}: {' '.join(str(error).split())}"
    if debug:
        return failed(INTERNAL_ERROR, summary, trace.rstrip())
    try:
        handle, path = tempfile.mkstemp(prefix="qianwan-error-", suffix=".log", text=True)
        with os.fdopen(handle, "w", encoding="utf-8") as log:
            log.write(trace)
    except OSError:
        return failed(INTERNAL_ERROR, f"{summary} (run again with --debug for the traceback)")
    return failed(INTERNAL_ERROR, f"{summary} (see the log: {path}; or run with --debug)")


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors in the house format: ``error: [arguments_invalid] …``."""

    def error(self, message: str) -> NoReturn:
        failed(ArgumentsInvalid.code, f"{self.prog}: {message} (see {self.prog} --help)")
        raise SystemExit(EXIT_REFUSED)
