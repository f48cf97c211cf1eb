#!/usr/bin/env bash
# A throw-away PostgreSQL server for the portability tests.
#
#   scripts/portability/pg_server.sh start   # prints `export PG...=...` lines
#   scripts/portability/pg_server.sh stop
#   scripts/portability/pg_server.sh status
#
# The server runs as the unprivileged `postgres` user (initdb refuses root),
# listens on 127.0.0.1 only, on LU_PG_PORT (default 54329), with trust auth,
# and keeps its data in a fresh folder (LU_PG_DIR, default
# ${TMPDIR:-/tmp}/lu-pg-$LU_PG_PORT) that `start` re-creates every time, so
# a run never sees the previous run's tables. PostgreSQL is installed from
# the Debian packages when no initdb is found (needs root and apt). `start`
# stops a server left behind by an earlier, killed run on the same folder.
set -euo pipefail

PORT="${LU_PG_PORT:-54329}"
DIR="${LU_PG_DIR:-${TMPDIR:-/tmp}/lu-pg-$PORT}"
DATA="$DIR/data"
LOG="$DIR/server.log"
DB="${LU_PG_DATABASE:-license_utilization}"
SUPERUSER="${LU_PG_USER:-postgres}"

log() { echo "pg_server: $*" >&2; }

find_bin_dir() {
    local candidate
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && { echo "$candidate"; return 0; }
    done
    candidate="$(command -v initdb 2>/dev/null || true)"
    [ -n "$candidate" ] && { dirname "$(readlink -f "$candidate")"; return 0; }
    return 1
}

install_postgres() {
    if [ "$(id -u)" != 0 ]; then
        log "PostgreSQL is not installed and this is not root: install the 'postgresql' package."
        exit 1
    fi
    log "installing PostgreSQL from the Debian packages ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
}

# Run a command as the server's OS user (postgres when we are root).
as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        fi
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop_server() {
    local bin_dir
    if [ -f "$DATA/postmaster.pid" ]; then
        bin_dir="$(find_bin_dir || true)"
        if [ -n "$bin_dir" ]; then
            as_server_user "$bin_dir/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
        if [ -f "$DATA/postmaster.pid" ]; then
            local pid
            pid="$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)"
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
        fi
        log "stopped the server in $DATA"
    fi
}

start_server() {
    local bin_dir
    bin_dir="$(find_bin_dir || true)"
    if [ -z "$bin_dir" ]; then
        install_postgres
        bin_dir="$(find_bin_dir)"
    fi
    stop_server
    rm -rf "$DIR"
    mkdir -p "$DATA"
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres: "$DIR"
        chmod 700 "$DIR"
    fi
    as_server_user "$bin_dir/initdb" -D "$DATA" -U "$SUPERUSER" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
        || as_server_user "$bin_dir/initdb" -D "$DATA" -U "$SUPERUSER" --auth=trust \
            --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    # Loopback only, no unix socket in /var/run (may not exist or be writable),
    # settings for a small, throw-away test server.
    as_server_user "$bin_dir/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=20 -c shared_buffers=128MB -c TimeZone=UTC" \
        start >/dev/null || { cat "$LOG" >&2; exit 1; }
    "$bin_dir/psql" -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" -d postgres -v ON_ERROR_STOP=1 -q \
        -c "create database $DB" >/dev/null
    log "PostgreSQL $("$bin_dir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, database $DB, data in $DATA"
    echo "export PGHOST=127.0.0.1"
    echo "export PGPORT=$PORT"
    echo "export PGUSER=$SUPERUSER"
    echo "export PGPASSWORD="
    echo "export PGDATABASE=$DB"
}

case "${1:-}" in
    start) start_server ;;
    stop) stop_server; rm -rf "$DIR" ;;
    status)
        if [ -f "$DATA/postmaster.pid" ] && kill -0 "$(head -n 1 "$DATA/postmaster.pid")" 2>/dev/null; then
            echo "running on 127.0.0.1:$PORT ($DATA)"
        else
            echo "not running"; exit 3
        fi ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
