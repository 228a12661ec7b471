"""The generated parts of docs/api.md: the roles table (from api/auth/permissions.py) and the
table of error codes (from ``domain.shared.errors.all_error_classes()``), so that neither can
drift from the code. ``python -m scripts.api_docs`` rewrites them in place; a test fails when
the committed file differs from what this prints."""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from pathlib import Path

import domain
from api.auth.permissions import ALL_PERMISSIONS, Permission
from domain.access.roles import Role
from domain.shared.errors import all_error_classes

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
REGENERATE = "python -m scripts.api_docs"
SECTIONS = ("roles", "error-codes")


def import_everything() -> None:
    """The registry of codes knows the error classes that are imported: import them all."""
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)
    importlib.import_module("api.schema")  # the API's own refusals (paging, cursors)
    importlib.import_module("api.app")  # and the workbench's (a spreadsheet refused)


def roles_table() -> str:
    header = "| permission | " + " | ".join(r.value for r in Role) + " |"
    lines = [header, "|---|" + "---|" * len(Role)]
    for permission in ALL_PERMISSIONS:
        cells = [cell(permission, role) for role in Role]
        lines.append(f"| `{permission.name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cell(permission: Permission, role: Role) -> str:
    if not permission.allows_role(role):
        return "—"
    if permission.unscoped_only and role in (Role.ACCOUNTANT, Role.AUDITOR):
        return "if not limited to villages"
    if permission.of_villages and role is Role.ACCOUNTANT:
        return "its villages"
    if permission.of_villages and role is Role.AUDITOR:
        return "its scope"
    return "yes"


def error_code_table() -> str:
    import_everything()
    lines = ["| code | context | meaning |", "|---|---|---|"]
    for error in all_error_classes():
        if not error.__module__.startswith(("domain.", "api.")):
            continue  # (a test's own subclass, say)
        context = error.__module__.split(".")[1] if error.__module__.count(".") else "api"
        meaning = " ".join((error.__doc__ or "").split())
        lines.append(f"| `{error.code}` | {context} | {meaning} |")
    return "\n".join(lines)


def generated(name: str) -> str:
    return {"roles": roles_table, "error-codes": error_code_table}[name]()


def with_sections(text: str) -> str:
    """``text`` with every generated section replaced by what the code says now."""
    for name in SECTIONS:
        start, end = f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
        found = pattern.search(text)
        assert found is not None, f"docs/api.md lacks the {name} markers"
        section = f"{start}\n{generated(name)}\n{end}"
        text = text[: found.start()] + section + text[found.end() :]
    return text


def main() -> int:
    text = API_DOC.read_text(encoding="utf-8")
    API_DOC.write_text(with_sections(text), encoding="utf-8")
    print(f"rewrote the generated sections of {API_DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
