#!/usr/bin/env bash
# The scale-out check: two instances each of Express, OSS and Console behind nginx on PostgreSQL; the browser
# tests (Console's scenarios too) and the smoke check pass through it, and keep passing after one instance of each
# is killed in the middle of the run, with every callback to Express delivered.
set -uo pipefail
cd "$(dirname "$0")/.."
export SCALE_DIR="${SCALE_DIR:-$(mktemp -d)}"
bin="${SELFSCHED_BIN:-.build/debug/selfsched}"
fail() { echo "scale-out check failed: $*"; deploy/scale-out.sh stop; exit 1; }

urls=$(deploy/scale-out.sh start | tail -n 1) || fail "the deployment did not start (logs in $SCALE_DIR)"
eval "$urls"
echo "== scale-out deployment: $urls"
"$bin" smoke --express "$EXPRESS" --oss "$OSS" --identity "$IDENTITY" --user monitor@sunrise.example || fail "smoke check before the kill"

echo "== live updates across instances: a stream open on one Express instance, Station's event pushed to the other"
python3 deploy/live-relay-check.py "$EXPRESS_1" "$EXPRESS_2" "$SCALE_DIR/data" || fail "live relay across instances"
if [ -n "${CONSOLE:-}" ]; then
  echo "== Console's live pages on both instances: a stream open on each hears a change made in Station"
  python3 deploy/console-live-check.py "$CONSOLE_1" "$CONSOLE_2" "$IDENTITY" "$STATION" "$SCALE_DIR/data" \
    || fail "Console live across instances"
fi

echo "== browser tests through nginx, killing one instance each of Express, OSS and Console in the middle"
E2E_EXPRESS_URL=$EXPRESS E2E_OSS_URL=$OSS E2E_IDENTITY_URL=$IDENTITY E2E_STATION_URL=$STATION \
  E2E_CONSOLE_URL="${CONSOLE:-}" E2E_SECRETS_DIR="$SCALE_DIR/data" python3 -m pytest -q e2e/browser &
tests=$!
sleep 20
deploy/scale-out.sh kill-one
wait $tests || fail "browser tests through nginx"

"$bin" smoke --express "$EXPRESS" --oss "$OSS" --identity "$IDENTITY" --user monitor@sunrise.example || fail "smoke check after the kill"

echo "== every callback delivered"
for _ in $(seq 1 60); do
  status=$(set -a; . "$SCALE_DIR/env"; SELFSCHED_DATA_DIR="$SCALE_DIR/data" "$bin" outbox status 2>/dev/null | head -n 1)
  echo "$status" | grep -q "^pending 0, delivered [1-9][0-9]*, failed 0" && break
  sleep 2
done
echo "outbox: $status"
echo "$status" | grep -q "^pending 0, delivered [1-9][0-9]*, failed 0" || fail "callbacks not all delivered"
deploy/scale-out.sh stop
echo "scale-out check passed"
