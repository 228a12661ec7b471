// Mounts GraphiQL on the GraphQL console page (api/graphiql.py), posting queries back to the
// page's endpoint. Loaded after React, ReactDOM and GraphiQL (all vendored under
// /static/vendor/graphiql/); no inline script runs on the page (CSP script-src 'self').
//
// Signed in: <meta name="qianwan-csrf"> is present, requests go with the session cookie and an
// X-CSRF-Token header. Otherwise GraphiQL is mounted only once an API token is set in the form
// (so the schema is fetched with it), and set again re-mounts it (the schema is fetched anew).
// The token is kept in this tab's sessionStorage at most, never in a URL.
(function () {
  "use strict";

  var TOKEN_KEY = "qianwan.graphiql.token";
  var DEFAULT_QUERY = [
    "# GraphQL 控制台：在此编写查询，按 Ctrl-Enter（或 ▶ 按钮）运行。",
    "# 左侧边栏的文档（Docs）列出全部查询和字段。",
    "{",
    "  villages(first: 3) {",
    "    totalCount",
    "    edges {",
    "      node {",
    "        code",
    "        name",
    "      }",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");

  var mount = document.getElementById("graphiql");
  var endpoint = mount.getAttribute("data-endpoint") || window.location.pathname;
  var csrfMeta = document.querySelector('meta[name="qianwan-csrf"]');
  var form = document.getElementById("token-form");
  var root = null;
  var generation = 0;

  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage disabled: the token lives in this page only
    }
  }

  function fetcher(headers, credentials) {
    return GraphiQL.createFetcher({
      url: endpoint,
      headers: headers,
      enableIncrementalDelivery: false,
      fetch: function (url, init) {
        var options = Object.assign({}, init, { credentials: credentials });
        return window.fetch(url, options);
      },
    });
  }

  function show(headers, credentials) {
    generation += 1;
    if (root === null) {
      mount.textContent = "";
      root = ReactDOM.createRoot(mount);
    }
    root.render(
      React.createElement(GraphiQL, {
        key: "console-" + generation, // a new key re-mounts: the schema is fetched again
        fetcher: fetcher(headers, credentials),
        defaultQuery: DEFAULT_QUERY,
        defaultEditorToolsVisibility: false,
        shouldPersistHeaders: false,
      }),
    );
  }

  function hide(message) {
    if (root !== null) {
      root.unmount();
      root = null;
    }
    var placeholder = document.createElement("p");
    placeholder.className = "console-placeholder";
    placeholder.textContent = message;
    mount.replaceChildren(placeholder);
  }

  if (csrfMeta !== null) {
    show({ "X-CSRF-Token": csrfMeta.getAttribute("content") || "" }, "same-origin");
    return;
  }

  var input = document.getElementById("api-token");
  var forget = document.getElementById("token-forget");
  var state = document.getElementById("token-state");

  function useToken(token) {
    forget.hidden = false;
    state.textContent = "已使用令牌（仅保存在本标签页）";
    show({ Authorization: "Bearer " + token }, "omit");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = input.value.trim();
    if (token === "") {
      state.textContent = "请输入 API 令牌";
      return;
    }
    input.value = "";
    var store = storage();
    if (store !== null) {
      store.setItem(TOKEN_KEY, token);
    }
    useToken(token);
  });

  forget.addEventListener("click", function () {
    var store = storage();
    if (store !== null) {
      store.removeItem(TOKEN_KEY);
    }
    forget.hidden = true;
    state.textContent = "令牌已清除";
    hide("请先在上方输入 API 令牌。");
  });

  var store = storage();
  var kept = store !== null ? store.getItem(TOKEN_KEY) : null;
  if (kept) {
    useToken(kept);
  }
})();
