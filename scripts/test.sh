#!/usr/bin/env bash
# Install qianwan with its development tools into .venv and run every test, on SQLite and on
# PostgreSQL (127.0.0.1:5432, started here if it is down). Arguments go to pytest.
# QIANWAN_TEST_POSTGRES=off runs the SQLite half only, for machines without PostgreSQL.
# The browser tests (tests/browser) drive Debian's Chromium with a Chinese font, both installed
# here with apt-get when missing; QIANWAN_TEST_BROWSER=off skips the install and those tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
# Quiet: pip's output (setuptools warnings included) is shown only when the install fails.
if ! pip_log="$(.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1)"; then
    printf '%s\n' "$pip_log" >&2
    echo "test.sh: pip install failed" >&2
    exit 1
fi

PG_HOST=127.0.0.1
PG_PORT=5432
PG_WAIT_SECONDS=30

start_postgres() {
    if ! command -v pg_isready >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
        echo "test.sh: PostgreSQL tools (pg_isready, pg_ctlcluster) are not installed." >&2
        echo "         Install PostgreSQL, or run the SQLite tests only: QIANWAN_TEST_POSTGRES=off bash scripts/test.sh" >&2
        exit 1
    fi
    if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
        return
    fi
    local version
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$version" ]]; then
        echo "test.sh: PostgreSQL is down and no cluster is configured in /etc/postgresql" >&2
        exit 1
    fi
    echo "test.sh: starting PostgreSQL $version" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq "$PG_WAIT_SECONDS"); do
        if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
            return
        fi
        sleep 1
    done
    echo "test.sh: PostgreSQL is not ready on $PG_HOST:$PG_PORT after ${PG_WAIT_SECONDS}s" >&2
    exit 1
}

if [[ "${QIANWAN_TEST_POSTGRES:-on}" != "off" ]]; then
    start_postgres
fi

CHROMIUM="${QIANWAN_CHROMIUM:-/usr/bin/chromium}"  # tests/browser/conftest.py reads the same

has_cjk_font() {
    command -v fc-list >/dev/null && [[ -n "$(fc-list :lang=zh family 2>/dev/null)" ]]
}

# Debian's chromium and a small CJK font, when absent (quiet; apt's output only on failure).
install_browser() {
    if [[ -x "$CHROMIUM" ]] && has_cjk_font; then
        return
    fi
    local sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        sudo=(sudo)
    fi
    local apt_log
    if ! apt_log="$("${sudo[@]}" apt-get update -qq 2>&1)"; then
        printf '%s\n' "$apt_log" >&2
        echo "test.sh: apt-get update failed (or skip the browser tests: QIANWAN_TEST_BROWSER=off)" >&2
        exit 1
    fi
    local font=fonts-wqy-microhei
    if ! apt-cache show "$font" >/dev/null 2>&1; then
        font=fonts-noto-cjk
    fi
    local wanted=()
    [[ -x "$CHROMIUM" ]] || wanted+=(chromium)
    has_cjk_font || wanted+=("$font")
    echo "test.sh: installing ${wanted[*]} for the browser tests" >&2
    if ! apt_log="$("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${wanted[@]}" 2>&1)"; then
        printf '%s\n' "$apt_log" >&2
        echo "test.sh: installing ${wanted[*]} failed (or skip the browser tests: QIANWAN_TEST_BROWSER=off)" >&2
        exit 1
    fi
}

if [[ "${QIANWAN_TEST_BROWSER:-on}" != "off" ]]; then
    install_browser
fi

exec .venv/bin/pytest -q "$@"
