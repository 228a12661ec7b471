"""The GraphiQL page served to browsers on GET /graphql: the IDE itself loads from unpkg (pinned
versions with subresource integrity), and it posts queries back to the same URL. The page needs
no token; the queries it sends do (its Headers pane holds the Authorization header)."""

from __future__ import annotations

import base64
import hashlib
import re

GRAPHIQL_HTML = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>qianwan · GraphiQL</title>
    <style>
      body { margin: 0; height: 100vh; overflow: hidden; }
      #graphiql { height: 100vh; }
    </style>
    <link rel="stylesheet" crossorigin
      href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css"
      integrity="sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM">
    <script crossorigin
      src="https://unpkg.com/react@18.2.0/umd/react.production.min.js"
      integrity="sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"></script>
    <script crossorigin
      src="https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js"
      integrity="sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script crossorigin
      src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"
      integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"></script>
    <script>
      const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultEditorToolsVisibility: true,
          defaultHeaders: JSON.stringify(
            { Authorization: "Bearer <your API token, e.g. from var/demo-tokens.txt>" }, null, 2
          ),
        }),
      );
    </script>
  </body>
</html>
"""


def inline_hashes(tag: str) -> str:
    """CSP sources allowing exactly the page's own inline ``<script>`` or ``<style>`` blocks."""
    blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", GRAPHIQL_HTML, re.DOTALL)
    digests = (hashlib.sha256(block.encode("utf-8")).digest() for block in blocks)
    return " ".join(f"'sha256-{base64.b64encode(d).decode('ascii')}'" for d in digests)


CDN = "https://unpkg.com"
# What the page may load and do: its scripts and styles from the CDN (each pinned with
# subresource integrity) and its own inline blocks; requests to this server only; never framed.
# Inline style attributes stay allowed: the IDE's editor sets them as it lays out text.
GRAPHIQL_CSP = "; ".join(
    (
        "default-src 'none'",
        f"script-src {CDN} {inline_hashes('script')}",
        f"style-src {CDN} 'unsafe-inline'",
        "img-src 'self' data:",
        f"font-src {CDN} data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
