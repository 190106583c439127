#!/usr/bin/env bash
# Runs SelfScheduling scaled out on one machine, on loopback: PostgreSQL (one database per service), two
# instances each of Express, OSS and Console and one of Identity, Station and Policy, behind Debian's nginx.
#
#   deploy/scale-out.sh start   # prints the public URLs as shell variables, then returns
#   deploy/scale-out.sh stop
#   deploy/scale-out.sh kill-one # kills one instance each of Express, OSS and Console (nginx keeps serving)
#
# State lives under $SCALE_DIR (default /tmp/selfsched-scale).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${SCALE_DIR:-/tmp/selfsched-scale}"
bin="${SELFSCHED_BIN:-.build/debug/selfsched}"
E=18080 O=18081 S=18082 I=18083 P=18084 C=18085 E1=18180 E2=18280 O1=18181 O2=18281 C1=18185 C2=18285
# Console (issue 13) runs when the binary has it (`serve --only` names it).
console=""; "$bin" serve --help 2>/dev/null | tr -s ' \n' ' ' | grep -Eo -- '--only .*--no-demo' | grep -q console && console=1

start() {
  mkdir -p "$dir"
  if ! command -v nginx >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  fi
  for db in express oss station identity console; do url=$(scripts/postgres.sh "scale_$db"); eval "${db}_db=\$url"; done
  printf 'OSS_DATABASE_URL=%s\nEXPRESS_DATABASE_URL=%s\n' "$oss_db" "$express_db" > "$dir/env"
  export SELFSCHED_DATA_DIR="$dir/data" LOG_LEVEL=info
  export EXPRESS_DATABASE_URL="$express_db" OSS_DATABASE_URL="$oss_db" STATION_DATABASE_URL="$station_db" IDENTITY_DATABASE_URL="$identity_db"
  export CONSOLE_DATABASE_URL="$console_db"
  # Browsers and other services reach Express and OSS through nginx only.
  export EXPRESS_URL="http://localhost:$E" EXPRESS_PUBLIC_URL="http://localhost:$E" OSS_URL="http://localhost:$O" OSS_PUBLIC_URL="http://localhost:$O"
  # Console's too (Identity builds console-web's redirect on it). Every instance reads the client secrets
  # (console-web, console-m2m) from the shared data directory's secrets.json, as Express's and OSS's instances do.
  export CONSOLE_PUBLIC_URL="http://localhost:$C"
  export IDENTITY_PORT=$I STATION_PORT=$S POLICY_PORT=$P
  # Station pushes its events to Express and OSS through nginx too: any instance may receive one, and Express's
  # live relay carries it to the browsers connected to the other instance.
  export STATION_EVENT_SUBSCRIBERS="express=http://localhost:$E/internal/v1/station-events,oss=http://localhost:$O/internal/v1/station-events"
  run() { # name, then arguments
    local name=$1; shift
    "$bin" serve "$@" > "$dir/$name.log" 2>&1 &
    echo $! > "$dir/$name.pid"
  }
  wait_for() { for _ in $(seq 1 240); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "no answer from $1" >&2; return 1; }
  run identity --only identity; wait_for "http://localhost:$I"
  run station --only station; run policy --only policy
  wait_for "http://localhost:$S"; wait_for "http://localhost:$P"
  # The first instance of each migrates and seeds; the second starts on the ready database.
  EXPRESS_PORT=$E1 run express-1 --only express; OSS_PORT=$O1 run oss-1 --only oss
  wait_for "http://localhost:$E1"; wait_for "http://localhost:$O1"
  EXPRESS_PORT=$E2 run express-2 --only express; OSS_PORT=$O2 run oss-2 --only oss
  wait_for "http://localhost:$E2"; wait_for "http://localhost:$O2"
  if [ -n "$console" ]; then
    CONSOLE_PORT=$C1 run console-1 --only console; wait_for "http://localhost:$C1"
    CONSOLE_PORT=$C2 run console-2 --only console; wait_for "http://localhost:$C2"
  fi
  cat > "$dir/nginx.conf" <<NGINX
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $dir/nginx-access.log;
  upstream express { server 127.0.0.1:$E1 max_fails=1 fail_timeout=5s; server 127.0.0.1:$E2 max_fails=1 fail_timeout=5s; }
  upstream oss { server 127.0.0.1:$O1 max_fails=1 fail_timeout=5s; server 127.0.0.1:$O2 max_fails=1 fail_timeout=5s; }
  proxy_next_upstream error timeout http_502 http_503;
  proxy_connect_timeout 2s;
  server {
    listen 127.0.0.1:$E;
    location / { proxy_pass http://express; proxy_set_header Host \$http_host; proxy_set_header X-Forwarded-For \$remote_addr; }
    # The live pages' server-sent events: passed on as they come, and held open for as long as the page is.
    location = /care-requests/live {
      proxy_pass http://express; proxy_set_header Host \$http_host; proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; proxy_cache off;
      proxy_read_timeout 1h;
    }
  }
  server { listen 127.0.0.1:$O; location / { proxy_pass http://oss; proxy_set_header Host \$http_host; proxy_set_header X-Forwarded-For \$remote_addr; } }
$([ -n "$console" ] && console_nginx)
}
NGINX
  nginx -c "$dir/nginx.conf"
  wait_for "http://localhost:$E"; wait_for "http://localhost:$O"
  [ -z "$console" ] || wait_for "http://localhost:$C"
  echo "EXPRESS=http://localhost:$E OSS=http://localhost:$O IDENTITY=http://localhost:$I STATION=http://localhost:$S POLICY=http://localhost:$P EXPRESS_1=http://localhost:$E1 EXPRESS_2=http://localhost:$E2${console:+ CONSOLE=http://localhost:$C CONSOLE_1=http://localhost:$C1 CONSOLE_2=http://localhost:$C2}"
}

console_nginx() { # Console's two instances; its live pages' stream (GET /live) passed on as it comes
  cat <<NGINX
  upstream console { server 127.0.0.1:$C1 max_fails=1 fail_timeout=5s; server 127.0.0.1:$C2 max_fails=1 fail_timeout=5s; }
  server {
    listen 127.0.0.1:$C;
    location / { proxy_pass http://console; proxy_set_header Host \$http_host; proxy_set_header X-Forwarded-For \$remote_addr; }
    location = /live {
      proxy_pass http://console; proxy_set_header Host \$http_host; proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; proxy_cache off;
      proxy_read_timeout 1h;
    }
  }
NGINX
}

stop() {
  [ -f "$dir/nginx.pid" ] && nginx -c "$dir/nginx.conf" -s stop 2>/dev/null || true
  for pidfile in "$dir"/*.pid; do [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true; done
  sleep 1
}

kill_one() {
  kill "$(cat "$dir/express-1.pid")" "$(cat "$dir/oss-1.pid")"
  if [ -f "$dir/console-1.pid" ]; then kill "$(cat "$dir/console-1.pid")"; echo "killed express-1, oss-1 and console-1"
  else echo "killed express-1 and oss-1"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill-one) kill_one ;;
  *) echo "usage: $0 start|stop|kill-one" >&2; exit 2 ;;
esac
