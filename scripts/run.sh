#!/usr/bin/env bash
# Install qianwan into .venv and serve it: the demo district is loaded when the database is
# empty, then GraphQL is served at http://127.0.0.1:8000/graphql over SQLite in var/. --demo is
# development mode: invented data, signed with a development key in var/dev-keys/ (made here).
# Arguments go to `qianwan serve` (e.g. --port 8080); QIANWAN_DATABASE_URL picks the database.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
# Quiet: pip's output (setuptools warnings included) is shown only when the install fails.
if ! pip_log="$(.venv/bin/python -m pip install --quiet --disable-pip-version-check -e . 2>&1)"; then
    printf '%s\n' "$pip_log" >&2
    echo "run.sh: pip install failed" >&2
    exit 1
fi

exec .venv/bin/qianwan serve --demo "$@"
