"""Where the workbench's files live inside the package: templates and static files (every
script, style sheet and font the pages use ships here; nothing loads from a CDN)."""

from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_PREFIX = "/static"
