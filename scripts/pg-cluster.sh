#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: initdb into a temp dir as the postgres
# user, listening only on a unix socket in that dir. Prints the URL to export as
# PEDIGREE_TEST_PG; `scripts/pg-cluster.sh stop DIR` stops it and removes the dir.
#   usage: scripts/pg-cluster.sh start [PORT] [NAME=VALUE …]   → prints postgres:///pedigree_test?host=DIR&port=PORT
# NAME=VALUE pairs are further server settings (the benchmark's server: docs/scale-out.md).
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$PGBIN/initdb" ] || { echo "pg-cluster: no PostgreSQL server binaries (apt-get install postgresql-15)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    port=${2:-5433}
    extra=()
    for setting in "${@:3}"; do extra+=(-c "$setting"); done
    dir=$(mktemp -d /tmp/pedigree-pg-XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 ${extra[*]:-}" start >/dev/null
    as_pg "$PGBIN/createdb" -h "$dir" -p "$port" -U postgres pedigree_test
    echo "postgres://postgres@/pedigree_test?host=$dir&port=$port"
    ;;
  stop)
    dir=${2:?usage: pg-cluster.sh stop DIR}
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *) echo "usage: pg-cluster.sh start [PORT] [NAME=VALUE …] | stop DIR" >&2; exit 2 ;;
esac
