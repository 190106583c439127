#!/usr/bin/env bash
# Installs (from Debian's packages, when missing) and starts a local PostgreSQL for the test suite and
# benchmarks, creates the role `selfsched` and an empty database, and prints its URL on stdout.
#   scripts/postgres.sh [DATABASE]     (default: selfsched_test)
set -euo pipefail
db="${1:-selfsched_test}"
log() { echo "postgres: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$version/main"; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main >&2
fi
conf="/etc/postgresql/$version/main/conf.d/selfsched.conf"
# The Swift suites run in parallel, several services per test, each with a small pool.
wanted=$(printf "max_connections = 1000\nshared_buffers = 256MB\n")
if [ "$(cat "$conf" 2>/dev/null)" != "$wanted" ]; then
  printf "%s\n" "$wanted" > "$conf"
  pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  log "starting cluster $version/main"
  pg_ctlcluster "$version" main start >&2
fi

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt "$@"; }
for _ in $(seq 1 30); do psql_admin -c "select 1" >/dev/null 2>&1 && break; sleep 1; done
if [ "$(psql_admin -c "select 1 from pg_roles where rolname = 'selfsched'")" != "1" ]; then
  psql_admin -c "create role selfsched login superuser password 'selfsched'"
fi
psql_admin -c "drop database if exists $db" >/dev/null
# Byte-order collation: search keys are compared as bytes on every database.
psql_admin -c "create database $db owner selfsched template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'"
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
echo "postgres://selfsched:selfsched@127.0.0.1:${port}/${db}"
