#!/usr/bin/env bash
# The scale-out check: two instances of every service (Identity, Station, Policy, Express, OSS, Console) behind
# nginx on PostgreSQL (deploy/scale-out.sh). In order:
#   1. the smoke check through nginx;
#   2. live pages across instances: a stream on one Express instance hears an event pushed to the other
#      (live-relay-check.py); Console's streams on both instances hear a change made in Station
#      (console-live-check.py); streams through nginx survive the SIGKILL of the Express and Console instances
#      holding some of them, reconnecting with Last-Event-ID, and the killed instances start again
#      (live-failover-check.py);
#   3. the browser scenarios marked `scale_out` (`pytest -m scale_out e2e/browser`: the partner's handoff Express →
#      OSS → Station, a patient's booking and change in OSS, a cancellation from Express, Console's nurse and
#      dispatcher, Express's live list) through nginx while one instance of each service is killed, one after
#      another, a few seconds apart (`scale-out.sh kill-one`). The kills begin once the first scenario has ended
#      (or after SCALE_KILL_AFTER seconds, default 90), and the check fails unless a scenario ends after the last
#      kill: the kills must land while they run. Then the killed instances start again and the smoke check
#      passes once more. (The browser tier runs every scenario against one `serve`.)
#   4. what must hold after the run (scale-out-after.sh): every callback and event delivered exactly once, no
#      booking over capacity, no care request lost, one policy version, one JWKS, and the new key of a rotation
#      published by both Identity instances.
# Prints each phase's time; the state (logs, nginx.conf) stays in $SCALE_DIR when it fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export SCALE_DIR="${SCALE_DIR:-$(mktemp -d)}"
bin="${SELFSCHED_BIN:-.build/debug/selfsched}"
started=$SECONDS
phase() { echo "== [$((SECONDS - started)) s] $*"; }
tests="" # the browser tests' process group while they run
stop_tests() { # pytest with its chromedrivers and browsers: SIGINT (pytest ends its fixtures), then SIGKILL
  [ -n "$tests" ] || return 0
  kill -INT -- "-$tests" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 -- "-$tests" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$tests" 2>/dev/null
  wait "$tests" 2>/dev/null
  tests=""
}
fail() {
  echo "scale-out check failed after $((SECONDS - started)) s: $* (logs in $SCALE_DIR)"
  stop_tests
  deploy/scale-out.sh stop
  exit 1
}
# Interrupted (a person's ^C, CI's time limit): leave nothing running.
trap 'echo "scale-out check interrupted"; stop_tests; deploy/scale-out.sh stop; exit 130' INT TERM

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

phase "browser scenarios (-m scale_out) through nginx, killing one instance of each service, one after another"
progress="$SCALE_DIR/browser-progress.log" exited="$SCALE_DIR/browser-exit"
: > "$progress"; rm -f "$exited"
set -m # a process group of their own, which stop_tests ends whole
(
  E2E_EXPRESS_URL=$EXPRESS E2E_OSS_URL=$OSS E2E_IDENTITY_URL=$IDENTITY E2E_STATION_URL=$STATION \
    E2E_CONSOLE_URL="${CONSOLE:-}" E2E_SECRETS_DIR="$SCALE_DIR/data" E2E_PROGRESS_FILE="$progress" \
    python3 -m pytest -q --durations=8 -m scale_out e2e/browser
  echo $? > "$exited"
) &
tests=$!
set +m
ended() { grep -c . "$progress"; } # scenarios ended so far (conftest.py writes a line as each ends)
deadline=$((SECONDS + ${SCALE_KILL_AFTER:-90}))
until [ "$(ended)" -gt 0 ] || [ -f "$exited" ] || [ $SECONDS -ge $deadline ]; do sleep 0.5; done
[ -f "$exited" ] && fail "the browser scenarios ended (pytest exit $(cat "$exited")) before the kills began"
before=$(ended)
echo # after pytest's progress dots
phase "the kill sequence, after $before scenario(s) ended"
deploy/scale-out.sh kill-one || fail "the kill sequence"
during=$(($(ended) - before))
wait "$tests"; tests=""
status=$(cat "$exited" 2>/dev/null || echo "unknown")
[ "$status" = 0 ] || fail "browser scenarios through nginx (pytest exit $status)"
after=$(($(ended) - before - during))
# Kills after the last scenario would prove nothing about the scenarios: one at least must end after the last kill.
[ "$after" -gt 0 ] || fail "the browser scenarios had all ended before the kill sequence did ($before before it," \
  "$during during it): the kills must land while they run"
phase "browser scenarios passed: $before ended before the first kill, $during during the kill sequence, $after after it"

phase "the killed instances start again"
starting=()
for name in $(sed -n 's/.* killed \([a-z]*-[12]\) .*/\1/p' "$SCALE_DIR/kills.log" 2>/dev/null); do
  deploy/scale-out.sh start-one "$name" & starting+=("$!:$name")
done
for entry in "${starting[@]}"; do wait "${entry%%:*}" || fail "${entry#*:} did not start again"; done
[ ${#starting[@]} -gt 0 ] || fail "no instance was killed ($SCALE_DIR/kills.log is empty)"
"$bin" smoke --express "$EXPRESS" --oss "$OSS" --identity "$IDENTITY" --user monitor@sunrise.example || fail "smoke check after the kills"

phase "what must hold after the run"
deploy/scale-out-after.sh || fail "after the run"
deploy/scale-out.sh stop
echo "scale-out check passed in $((SECONDS - started)) s"
