#!/usr/bin/env bash
# Benchmarks: seeds a large data set, drives load with wrk against a release build of `selfsched serve`,
# measures the floors beside it, and writes docs/BENCHMARKS.md. Figures, never assertions.
#
#   benchmarks/run.sh [--db sqlite|postgres|both] [--sizes 10000,1000000] [--duration 10] [--connections 16]
#                     [--live-connections 2000] [--live-rate 50] [--only W6,W3] [--no-build]
#                     [--bin PATH]  (a selfsched binary to measure instead of building the release one)
#
# Workloads: W1 Station's partner care-request list (first page and a deep cursor page), W2 Station's patient
# search by name prefix in the largest partner, W7 FHIR ServiceRequest search of the largest partner (a backend client's
# private_key_jwt token), W8 SMART Scheduling Links $bulk-publish for all markets (benchmarks/bulk_publish.py), W3 Express's care-request list for a signed-in user, W4 handoff
# push and redeem, W5 care request creation with capacity reservation, W6 live updates (browsers holding Express's
# event stream open while dispatch moves requests, benchmarks/live.py); floors: F1 the same server's trivial route, F2 the database
# answering W1's and W2's SQL directly (pgbench on PostgreSQL, Python's sqlite3 on SQLite), F3 the database writing
# one booking's rows per transaction (benchmarks/booking_floor.py); IR instructions per request
# of W1, W3 and W5 under callgrind (benchmarks/instructions.py). --only runs just the
# workloads named (F1, F2, F3, W1…W8, IR; seeding always) and writes its report beside the results, not to docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
dbs=both sizes="10000,1000000" duration=10 connections=16 live_connections=2000 live_rate=50 only="" build=1 bin=.build-release/release/selfsched
while [ $# -gt 0 ]; do
  case "$1" in
    --db) dbs=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --live-connections) live_connections=$2; shift 2 ;;
    --live-rate) live_rate=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --bin) bin=$2; build=0; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$dbs" = both ] && dbs="sqlite postgres"
work=$(mktemp -d /tmp/selfsched-bench.XXXX)
results="$work/results.jsonl"

if [ "$build" = 1 ]; then
  echo "== release build"
  swift build -c release --product selfsched --scratch-path .build-release
fi
# An absolute path: some helpers run from benchmarks/ (fhir_token.py); every helper finds it in BENCH_BIN.
bin=$(realpath "$bin")
export BENCH_BIN="$bin"
# W6 holds thousands of connections open: the client and the server (started from here) need the descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
python3 -c "import aiohttp, jwt" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -r benchmarks/requirements.txt
wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

record() { # workload db size then the rest as key=value
  python3 - "$results" "$@" <<'PY'
import json, sys
path, workload, db, size, *pairs = sys.argv[1:]
row = {"workload": workload, "db": db, "size": int(size)}
for pair in pairs:
    key, value = pair.split("=", 1)
    row[key] = value
open(path, "a").write(json.dumps(row) + "\n")
PY
}

# Runs wrk and records rps, p50, p99, max, errors and the server's peak memory.
load() { # workload db size url [extra wrk arguments...]
  local workload=$1 db=$2 size=$3 url=$4; shift 4
  wanted "${workload%deep}" || return 0
  local out="$work/$workload-$db-$size.txt"
  local cpu_before gate_before; cpu_before=$(cpu_ticks); gate_before=$(gate_held)
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$url" > "$out" 2>&1 || true
  python3 - "$out" "$results" "$workload" "$db" "$size" "$(peak_memory)" "$cpu_before" "$(cpu_ticks)" "$duration" \
    "$gate_before" "$(gate_held)" <<'PY'
import json, os, re, sys
out, results, workload, db, size, memory, before, after, duration, gate_before, gate_after = sys.argv[1:]
# On SQLite, the share of the run each service's write gate was held (one writer at a time): near 1 is its limit.
gates = {}
for pair_before, pair_after in zip(gate_before.split(), gate_after.split()):
    service, held_before = pair_before.split("=")
    held_after = pair_after.split("=")[1]
    if held_before and held_after:
        gates[service] = round((float(held_after) - float(held_before)) / float(duration), 2)
# Cores busy during the run (1.0 is one whole core): the serve process, and PostgreSQL's processes beside it.
ticks = os.sysconf("SC_CLK_TCK") * float(duration)
serve_cores, db_cores = ((int(a) - int(b)) / ticks for a, b in zip(after.split(","), before.split(",")))
text = open(out).read()
def ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p50 = re.search(r"\s50%\s+(\S+)", text)
p99 = re.search(r"\s99%\s+(\S+)", text)
mx = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", text)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
row = {"workload": workload, "db": db, "size": int(size), "rps": float(rps.group(1)) if rps else 0,
       "p50_ms": ms(p50.group(1)) if p50 else None, "p99_ms": ms(p99.group(1)) if p99 else None,
       "max_ms": ms(mx.group(1)) if mx else None, "errors": errors, "peak_rss_mb": float(memory),
       "serve_cores": round(serve_cores, 2), "db_cores": round(db_cores, 2) if db == "postgres" else None,
       "gate_busy": gates or None}
open(results, "a").write(json.dumps(row) + "\n")
print(f"{workload:>4} {db:>8} {int(size):>8}: {row['rps']:>9.0f} req/s  p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  "
      f"errors {errors}  cores: serve {serve_cores:.2f}, postgres {db_cores:.2f}"
      + (f"  write gate busy: {', '.join(f'{k} {v:.0%}' for k, v in gates.items())}" if gates else ""))
PY
}

serve_pid=""
peak_memory() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$serve_pid/status" 2>/dev/null || echo 0; }
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$serve_pid/status" 2>/dev/null || echo 0; }
# Seconds each service's SQLite write gate has been held since start, as "station=… express=… oss=…" (empty values on
# PostgreSQL, whose gate serializes nothing, and for a build without the metric).
gate_held() {
  local service port held out=""
  for service in station:8082 express:8080 oss:8081; do
    port=${service#*:}; service=${service%:*}
    held=$(curl -fs "localhost:$port/metrics" 2>/dev/null \
      | awk -v s="$service" '$1 == "db_write_gate_held_seconds_total{service=\"" s "\"}" {print $2}')
    out="$out $service=$held"
  done
  echo "$out"
}
# CPU ticks used so far by the serve process and by every PostgreSQL process, as "serve,postgres" (user + system).
cpu_ticks() {
  local serve=0 pg=0 pid
  [ -n "$serve_pid" ] && serve=$(awk '{print $14 + $15}' "/proc/$serve_pid/stat" 2>/dev/null || echo 0)
  for pid in $(pgrep -x postgres 2>/dev/null); do
    pg=$((pg + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$serve,$pg"
}

start_serve() { # data dir
  "$bin" serve --data-dir "$1" > "$1/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 240); do curl -fs localhost:8080/healthz >/dev/null 2>&1 && curl -fs localhost:8082/healthz >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "serve did not start" >&2; tail -20 "$1/serve.log" >&2; exit 1
}
stop_serve() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true; serve_pid=""; }
trap stop_serve EXIT

for db in $dbs; do
  data="$work/$db"; mkdir -p "$data"
  export SELFSCHED_DATA_DIR="$data" LOG_LEVEL=warning
  unset STATION_DATABASE_URL EXPRESS_DATABASE_URL IDENTITY_DATABASE_URL OSS_DATABASE_URL
  if [ "$db" = postgres ]; then
    export STATION_DATABASE_URL=$(scripts/postgres.sh bench_station) EXPRESS_DATABASE_URL=$(scripts/postgres.sh bench_express)
    export IDENTITY_DATABASE_URL=$(scripts/postgres.sh bench_identity) OSS_DATABASE_URL=$(scripts/postgres.sh bench_oss)
  fi
  seeded=0
  for size in ${sizes//,/ }; do
    stop_serve
    echo "== $db: seeding to $size care requests"
    start=$(date +%s.%N)
    "$bin" seed --data-dir "$data" --scale $((size - seeded)) --partners 100 | tail -n 1
    seed_seconds=$(echo "$(date +%s.%N) - $start" | bc)
    record seed "$db" "$size" "seconds=$seed_seconds" "added=$((size - seeded))"
    seeded=$size
    start_serve "$data"
    sleep 2
    record idle "$db" "$size" "rss_mb=$(rss)"
    token=$("$bin" token --data-dir "$data" | tail -n 1)
    auth="Authorization: Bearer $token"
    # The largest partner: the first synthetic one, with a fifth of all requests.
    partner=$(python3 benchmarks/largest_partner.py "$db" "$data")
    cursor=""; wanted W1 && cursor=$(python3 benchmarks/deep_cursor.py "$partner" "$token" 50)
    load F1 "$db" "$size" http://localhost:8082/healthz
    load W1 "$db" "$size" "http://localhost:8082/v1/partners/$partner/care-requests" -H "$auth"
    load W1deep "$db" "$size" "http://localhost:8082/v1/partners/$partner/care-requests?cursor=$cursor" -H "$auth"
    load W2 "$db" "$size" "http://localhost:8082/v1/partners/$partner/patients?q=lor" -H "$auth"
    # W7: an EHR's first FHIR search of the largest partner's care requests, with a token got by private_key_jwt.
    if wanted W7; then
      fhir_token=$(cd benchmarks && python3 fhir_token.py "$partner" "$data")
      load W7 "$db" "$size" "http://localhost:8082/fhir/r4/ServiceRequest?_count=50" -H "Authorization: Bearer $fhir_token"
    fi
    # W8: an aggregator fetching the SMART Scheduling Links manifest and every file (all markets), then polling with ETags.
    if wanted W8; then python3 benchmarks/bulk_publish.py "$results" "$db" "$size" "$duration"; fi
    if wanted F2; then python3 benchmarks/sql_floor.py "$db" "$data" "$partner" "$duration" "$connections" "$results" "$size"; fi
    if wanted W3; then
      cookie=$(python3 benchmarks/sign_in.py)
      load W3 "$db" "$size" http://localhost:8080/care-requests -H "Cookie: express_session=$cookie"
    fi
    if wanted W4; then
      python3 benchmarks/handoff.py prepare "$db" "$data" > "$work/handoff.lua"
      before=$(python3 benchmarks/handoff.py count "$db" "$data")
      load W4 "$db" "$size" http://localhost:8081 -s "$work/handoff.lua"
      record W4-check "$db" "$size" "before=$before" "after=$(python3 benchmarks/handoff.py count "$db" "$data")" "seconds=$duration"
    fi
    if wanted W5; then
      python3 benchmarks/booking.py prepare "$db" "$data" > "$work/booking.lua"
      write_token=$("$bin" token --data-dir "$data" --scope "station.care_requests.write" | tail -n 1)
      before=$(python3 benchmarks/booking.py count "$db" "$data")
      load W5 "$db" "$size" http://localhost:8082/v1/care-requests -s "$work/booking.lua" -H "Authorization: Bearer $write_token"
      python3 benchmarks/booking.py check "$db" "$data" "$results" "$size" "$before" "$duration"
    fi
    # F3: the database writing exactly one booking's rows per transaction, W5's floor (benchmarks/booking_floor.py).
    if wanted F3; then python3 benchmarks/booking_floor.py "$db" "$data" "$duration" "$connections" "$results" "$size"; fi
    # W6: live connections spread over partners while dispatch changes statuses at a fixed rate (benchmarks/live.py).
    if wanted W6; then
      BENCH_BIN="$bin" python3 benchmarks/live.py "$db" "$data" "$size" "$results" "$serve_pid" "$live_connections" "$duration" "$live_rate" \
        || echo "== W6 did not complete (see above)" >&2
    fi
    # IR: instructions per request of W1, W3 and W5 under callgrind, a figure that holds on a busy machine.
    if wanted IR; then
      stop_serve
      command -v valgrind >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; }
      python3 benchmarks/instructions.py "$bin" "$db" "$data" "$results" "$size" || echo "== IR did not complete (see above)" >&2
    fi
  done
  stop_serve
done

if [ -n "$only" ]; then
  python3 benchmarks/report.py "$results" > "$work/BENCHMARKS.md"
  echo "== wrote $work/BENCHMARKS.md ($results); docs/BENCHMARKS.md is left as it was"
else
  python3 benchmarks/report.py "$results" > docs/BENCHMARKS.md
  echo "== wrote docs/BENCHMARKS.md ($results)"
fi
