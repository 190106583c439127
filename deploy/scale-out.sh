#!/usr/bin/env bash
# Runs SelfScheduling scaled out on one machine, on loopback: PostgreSQL (one database per service) and two
# instances of every service (Identity, Station, Policy, Express, OSS and Console), each pair behind its own nginx
# (Debian's nginx-light) port. Every browser and every service reaches every other service through nginx only.
#
#   deploy/scale-out.sh start              # prints the public URLs as shell variables, then returns
#   deploy/scale-out.sh stop
#   deploy/scale-out.sh kill-one           # kills one instance of each service, one after another, a few seconds
#                                          # apart (Station, Identity and Express with SIGKILL), printing each
#   deploy/scale-out.sh kill-instance NAME [SIGNAL]  # e.g. express-1 KILL
#   deploy/scale-out.sh start-one NAME     # starts a killed instance again (e.g. express-1) once its old process
#                                          # has exited (up to SCALE_STOP_SECONDS, default 30; it fails after that)
#                                          # and waits until it answers
#
# Ports: nginx 18080 Express, 18081 OSS, 18082 Station, 18083 Identity, 18084 Policy, 18085 Console; instance 1 of
# each on 181xx, instance 2 on 182xx (same last two digits). Start order: `selfsched migrate` once (every schema,
# and the data directory's generated secrets, by one process), nginx, then per service the first instance (it
# seeds the demo data) and, once it answers /healthz, the second: Identity, then Station and Policy, then Express,
# OSS and Console. Every instance shares the data directory (secrets.json) and its service's database.
# State lives under $SCALE_DIR (default /tmp/selfsched-scale); `start` empties its kills.log.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${SCALE_DIR:-/tmp/selfsched-scale}"
bin="${SELFSCHED_BIN:-.build/debug/selfsched}"
declare -A public=([express]=18080 [oss]=18081 [station]=18082 [identity]=18083 [policy]=18084 [console]=18085)
port_of() { # instance name (express-1) -> its port (18180)
  local service=${1%-*} n=${1##*-}
  echo $((public[$service] + 100 * n))
}
# Console (issue 13) runs when the binary has it (`serve --only` names it). The help is read whole first: a
# `grep -q` at the end of a pipe under pipefail may close it early and fail the pipe by SIGPIPE.
console=""; serve_help=$("$bin" serve --help 2>/dev/null | tr -s ' \n' ' ' || true)
[[ $serve_help =~ --only\ .*console.*--no-demo ]] && console=1

environment() { # what every instance and command reads; the databases' URLs come from $dir/env
  set -a; . "$dir/env"; set +a
  export SELFSCHED_DATA_DIR="$dir/data" LOG_LEVEL=info
  local E=${public[express]} O=${public[oss]} S=${public[station]} I=${public[identity]} P=${public[policy]}
  # Every service through nginx: Identity's issuer is its nginx URL, so a token signed by either instance names the
  # issuer every verifier trusts; Station's and Policy's clients call their nginx ports.
  export IDENTITY_PUBLIC_URL="http://localhost:$I" STATION_URL="http://localhost:$S"
  export STATION_PUBLIC_URL="http://localhost:$S" POLICY_URL="http://localhost:$P"
  export EXPRESS_URL="http://localhost:$E" EXPRESS_PUBLIC_URL="http://localhost:$E" OSS_URL="http://localhost:$O"
  export OSS_PUBLIC_URL="http://localhost:$O" CONSOLE_PUBLIC_URL="http://localhost:${public[console]}"
  # Station pushes its events to Express and OSS through nginx too: any instance may receive one, and Express's
  # live relay carries it to the browsers connected to the other instance.
  export STATION_EVENT_SUBSCRIBERS="express=http://localhost:$E/internal/v1/station-events,oss=http://localhost:$O/internal/v1/station-events"
}

run() { # instance name: starts it on its port (only its own service's *_PORT is set)
  local name=$1 service=${1%-*}
  local upper=${service^^}
  env "${upper}_PORT=$(port_of "$name")" "$bin" serve --only "$service" >> "$dir/$name.log" 2>&1 &
  echo $! > "$dir/$name.pid"
}
wait_for() { for _ in $(seq 1 480); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.25; done; echo "no answer from $1" >&2; return 1; }
wait_instances() { for name in "$@"; do wait_for "http://localhost:$(port_of "$name")"; done; }

start() {
  mkdir -p "$dir"
  : > "$dir/kills.log" # this deployment's kill sequence only: the check starts again what it names
  if ! command -v nginx >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  fi
  : > "$dir/env"
  for db in express oss station identity console; do
    echo "${db^^}_DATABASE_URL=$(scripts/postgres.sh "scale_$db")" >> "$dir/env"
  done
  environment
  # One process makes every schema and the generated secrets, so no two instances race to write secrets.json.
  "$bin" migrate > "$dir/migrate.log" 2>&1 || { cat "$dir/migrate.log" >&2; return 1; }
  write_nginx_conf
  nginx -c "$dir/nginx.conf"
  run identity-1; wait_instances identity-1
  run identity-2; run station-1; run policy-1; run policy-2; wait_instances station-1
  run station-2; run express-1; run oss-1; [ -z "$console" ] || run console-1
  wait_instances identity-2 policy-1 policy-2 station-2 express-1 oss-1 ${console:+console-1}
  run express-2; run oss-2; [ -z "$console" ] || run console-2
  wait_instances express-2 oss-2 ${console:+console-2}
  for service in identity station policy express oss ${console:+console}; do wait_for "http://localhost:${public[$service]}"; done
  date -u +%Y-%m-%dT%H:%M:%SZ > "$dir/started-at" # after the demo data: what is created later is the run's
  local urls="" service
  for service in express oss identity station policy ${console:+console}; do
    urls+="${service^^}=http://localhost:${public[$service]} ${service^^}_1=http://localhost:$(port_of "$service-1") "
    urls+="${service^^}_2=http://localhost:$(port_of "$service-2") "
  done
  echo "${urls% }"
}

write_nginx_conf() {
  local upstreams="" servers="" service
  # A live page's server-sent events are passed on as they come and held open for as long as the page is; the
  # X-Served-By header names the instance holding a stream (deploy/live-failover-check.py reads it).
  local stream='proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; proxy_cache off;
      proxy_read_timeout 1h; add_header X-Served-By $upstream_addr always;'
  for service in identity station policy express oss ${console:+console}; do
    upstreams+="  upstream $service { server 127.0.0.1:$(port_of "$service-1") max_fails=1 fail_timeout=5s;"
    upstreams+=" server 127.0.0.1:$(port_of "$service-2") max_fails=1 fail_timeout=5s; }"$'\n'
    local live=""
    case $service in
      express) live="location = /care-requests/live { proxy_pass http://express; $stream }" ;;
      console) live="location = /live { proxy_pass http://console; $stream }" ;;
    esac
    servers+="  server { listen 127.0.0.1:${public[$service]}; location / { proxy_pass http://$service; } $live }"$'\n'
  done
  cat > "$dir/nginx.conf" <<NGINX
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $dir/nginx-access.log;
  proxy_set_header Host \$http_host;
  proxy_set_header X-Forwarded-For \$remote_addr;
  proxy_next_upstream error timeout http_502 http_503;
  proxy_connect_timeout 2s;
$upstreams$servers}
NGINX
}

stop() {
  [ -f "$dir/nginx.pid" ] && nginx -c "$dir/nginx.conf" -s stop 2>/dev/null || true
  for pidfile in "$dir"/*.pid; do [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true; done
  sleep 1
}

kill_instance() { # name, signal (TERM by default)
  local pid; pid=$(cat "$dir/$1.pid")
  kill "-${2:-TERM}" "$pid"
  echo "$(date -u +%H:%M:%S) killed $1 (pid $pid) with SIG${2:-TERM}"
}

# One instance of each service, a few seconds apart, while the browser tests run. SIGKILL for Station (the rows
# its outbox worker had claimed wait out their 60-second claim, then the other instance delivers them), Identity
# and Express (the live pages' streams drop without a goodbye); SIGTERM for the others (a graceful stop). Each
# kill is printed with its time and noted in $dir/kills.log.
kill_sequence() {
  local gap=${SCALE_KILL_GAP:-4} entry first=1
  for entry in station-1:KILL identity-1:KILL policy-1:TERM express-2:KILL oss-1:TERM ${console:+console-2:TERM}; do
    [ -n "$first" ] || sleep "$gap"; first=""
    kill_instance "${entry%:*}" "${entry#*:}" | tee -a "$dir/kills.log"
  done
}

alive() { # pid: running (a zombie has gone)
  kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]
}

start_one() { # name: the instance again, on its port, once the old process has gone
  local name=$1 pid deadline=$((SECONDS + ${SCALE_STOP_SECONDS:-30}))
  pid=$(cat "$dir/$name.pid" 2>/dev/null || true)
  # A SIGTERMed instance finishes its requests and closes its pools first, which may take a while on a busy machine.
  if [ -n "$pid" ] && alive "$pid"; then
    echo "$(date -u +%H:%M:%S) waiting up to ${SCALE_STOP_SECONDS:-30} s for $name (pid $pid) to exit"
    while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if alive "$pid"; then
      echo "$name (pid $pid) is still running after ${SCALE_STOP_SECONDS:-30} s: not starting another on its port" >&2
      return 1
    fi
  fi
  environment
  run "$name"; wait_instances "$name"
  echo "$(date -u +%H:%M:%S) started $name again (pid $(cat "$dir/$name.pid"))"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill-one) kill_sequence ;;
  kill-instance) kill_instance "${2:?instance name, e.g. express-1}" "${3:-TERM}" ;;
  start-one) start_one "${2:?instance name, e.g. express-1}" ;;
  *) echo "usage: $0 start|stop|kill-one|kill-instance NAME [SIGNAL]|start-one NAME" >&2; exit 2 ;;
esac
