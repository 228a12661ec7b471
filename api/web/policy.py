"""The content security policy of every HTML answer: the page's own scripts, styles, fonts and
images from this server only (all of them ship in the package), no inline script, no framing,
forms posted back here only."""

from __future__ import annotations

WEB_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        # Inline style attributes stay allowed: GraphiQL's editor sets them as it lays out text.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
