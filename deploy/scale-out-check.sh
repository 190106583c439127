#!/usr/bin/env bash
# The scale-out check: two instances of every service (Identity, Station, Policy, Express, OSS, Console) behind
# nginx on PostgreSQL (deploy/scale-out.sh). In order:
#   1. the smoke check through nginx;
#   2. live pages across instances: a stream on one Express instance hears an event pushed to the other
#      (live-relay-check.py); Console's streams on both instances hear a change made in Station
#      (console-live-check.py); streams through nginx survive the SIGKILL of the Express and Console instances
#      holding some of them, reconnecting with Last-Event-ID, and the killed instances start again
#      (live-failover-check.py);
#   3. the browser tests (e2e/browser, Console's scenarios too) through nginx while one instance of each service is
#      killed, one after another, a few seconds apart (`scale-out.sh kill-one`); then the killed instances start
#      again and the smoke check passes once more;
#   4. what must hold after the run (scale-out-after.sh): every callback and event delivered exactly once, no
#      booking over capacity, no care request lost, one policy version, one JWKS and a key rotation reaching both
#      Identity instances.
# Prints each phase's time; the state (logs, nginx.conf) stays in $SCALE_DIR when it fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export SCALE_DIR="${SCALE_DIR:-$(mktemp -d)}"
bin="${SELFSCHED_BIN:-.build/debug/selfsched}"
started=$SECONDS
phase() { echo "== [$((SECONDS - started)) s] $*"; }
fail() { echo "scale-out check failed after $((SECONDS - started)) s: $* (logs in $SCALE_DIR)"; deploy/scale-out.sh stop; exit 1; }

urls=$(deploy/scale-out.sh start | tail -n 1) || fail "the deployment did not start"
eval "$urls"
export EXPRESS OSS IDENTITY STATION POLICY IDENTITY_1 IDENTITY_2 POLICY_1 POLICY_2
phase "scale-out deployment: $urls"
"$bin" smoke --express "$EXPRESS" --oss "$OSS" --identity "$IDENTITY" --user monitor@sunrise.example || fail "smoke check before the kills"

phase "live updates across instances: a stream open on one Express instance, Station's event pushed to the other"
python3 deploy/live-relay-check.py "$EXPRESS_1" "$EXPRESS_2" "$SCALE_DIR/data" || fail "live relay across instances"
if [ -n "${CONSOLE:-}" ]; then
  phase "Console's live pages on both instances: a stream open on each hears a change made in Station"
  python3 deploy/console-live-check.py "$CONSOLE_1" "$CONSOLE_2" "$IDENTITY" "$STATION" "$SCALE_DIR/data" \
    || fail "Console live across instances"
fi
phase "live pages through nginx survive the death of the instance holding their stream"
python3 deploy/live-failover-check.py "$EXPRESS" "${CONSOLE:-}" "$IDENTITY" "$STATION" "$SCALE_DIR/data" \
  || fail "live streams across the death of an instance"

phase "browser tests through nginx, killing one instance of each service, one after another"
E2E_EXPRESS_URL=$EXPRESS E2E_OSS_URL=$OSS E2E_IDENTITY_URL=$IDENTITY E2E_STATION_URL=$STATION \
  E2E_CONSOLE_URL="${CONSOLE:-}" E2E_SECRETS_DIR="$SCALE_DIR/data" python3 -m pytest -q --durations=8 e2e/browser &
tests=$!
sleep "${SCALE_KILL_AFTER:-20}"
deploy/scale-out.sh kill-one || fail "the kill sequence"
wait $tests || fail "browser tests through nginx"

phase "the killed instances start again"
for name in $(sed -n 's/.* killed \([a-z]*-[12]\) .*/\1/p' "$SCALE_DIR/kills.log" 2>/dev/null); do
  deploy/scale-out.sh start-one "$name" || fail "$name did not start again"
done
"$bin" smoke --express "$EXPRESS" --oss "$OSS" --identity "$IDENTITY" --user monitor@sunrise.example || fail "smoke check after the kills"

phase "what must hold after the run"
deploy/scale-out-after.sh || fail "after the run"
deploy/scale-out.sh stop
echo "scale-out check passed in $((SECONDS - started)) s"
