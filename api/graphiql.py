"""The GraphQL console (GraphiQL) served to browsers on GET /graphql. Everything it loads ships
in the package under api/web/static/ (GraphiQL, React and ReactDOM vendored, see
api/web/static/vendor/graphiql/README.txt), so it works on a network without internet; its one
script of our own, api/web/static/js/graphiql-start.js, mounts the IDE and posts queries back
to the same URL.

Signed in to the workbench (``csrf_token`` given), the page carries the session's CSRF token in
``<meta name="qianwan-csrf">`` and the console's requests go with the session cookie and an
``X-CSRF-Token`` header. Otherwise the page asks for an API token first and mounts GraphiQL only
once one is set (so the schema is fetched with it); the token stays in the tab's sessionStorage,
never in a URL."""

from __future__ import annotations

from html import escape

from api.web.paths import STATIC_PREFIX
from api.web.policy import WEB_CSP

GRAPHIQL_VENDOR = f"{STATIC_PREFIX}/vendor/graphiql"
GRAPHIQL_ENDPOINT = "/graphql"

# The files the page loads, in order (all from this server).
GRAPHIQL_STYLES = (f"{GRAPHIQL_VENDOR}/graphiql.min.css", f"{STATIC_PREFIX}/css/graphiql.css")
GRAPHIQL_SCRIPTS = (
    f"{GRAPHIQL_VENDOR}/react.production.min.js",
    f"{GRAPHIQL_VENDOR}/react-dom.production.min.js",
    f"{GRAPHIQL_VENDOR}/graphiql.min.js",
    f"{STATIC_PREFIX}/js/graphiql-start.js",
)

TOKEN_FORM = """
    <form id="token-form" class="console-token" method="post" autocomplete="off">
      <label for="api-token">API 令牌</label>
      <input id="api-token" type="password" required spellcheck="false"
        placeholder="粘贴 API 令牌（qianwan token create）">
      <button type="submit">使用令牌</button>
      <button type="button" id="token-forget" hidden>清除令牌</button>
      <span id="token-state" class="console-token-state" role="status"></span>
    </form>"""

# The input has no name: a form submitted without the script sends no token anywhere.
PAGE = """<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">{csrf}
    <title>GraphQL 控制台 · 千万工程</title>
{styles}
{scripts}
  </head>
  <body class="console">
    <header class="console-header">
      <a class="console-home" href="/">← 工作台</a>
      <h1>GraphQL 控制台</h1>{form}
    </header>
    <main id="graphiql" class="console-ide" data-endpoint="{endpoint}">
      <p class="console-placeholder">{placeholder}</p>
    </main>
    <noscript><p class="console-placeholder">GraphQL 控制台需要启用 JavaScript。</p></noscript>
  </body>
</html>
"""


def graphiql_page(csrf_token: str | None) -> str:
    """The console's HTML: for a signed-in session (``csrf_token``), or asking for a token."""
    signed_in = csrf_token is not None
    csrf = ""
    if csrf_token is not None:
        csrf = f'\n    <meta name="qianwan-csrf" content="{escape(csrf_token)}">'
    styles = "\n".join(f'    <link rel="stylesheet" href="{href}">' for href in GRAPHIQL_STYLES)
    scripts = "\n".join(f'    <script src="{src}" defer></script>' for src in GRAPHIQL_SCRIPTS)
    return PAGE.format(
        csrf=csrf,
        styles=styles,
        scripts=scripts,
        form="" if signed_in else TOKEN_FORM,
        endpoint=GRAPHIQL_ENDPOINT,
        placeholder="正在加载 GraphiQL…" if signed_in else "请先在上方输入 API 令牌。",
    )


# What the page may load and do: scripts, styles, fonts and requests from this server only
# (fonts and images also as data: URLs, as GraphiQL's style sheet embeds them); never framed.
# Inline style attributes stay allowed: the IDE's editor sets them as it lays out text.
GRAPHIQL_CSP = WEB_CSP  # the workbench's one policy for every page (api/web/policy.py)

GRAPHIQL_HTML = graphiql_page(None)
