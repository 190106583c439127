#!/usr/bin/env bash
# What must hold after a scale-out run (deploy/scale-out-check.sh runs it last, with the deployment's URLs in the
# environment: IDENTITY_1, IDENTITY_2, POLICY_1, POLICY_2, IDENTITY, and $SCALE_DIR):
#   - every message of OSS's outbox (callbacks to Express) and of Station's (events to Express and OSS) delivered
#     exactly once: none pending or given up, one accepted attempt each, in order per care request, and each
#     recorded once by its receiver (Express's webhook_receipts, OSS's station_event_receipts), none missing and
#     none the sender never sent; Station's event count is what Express and OSS received;
#   - no time window booked over its capacity (`selfsched station check-capacity` when the binary has it, else the
#     same check in SQL) and no care request lost (every care request another service refers to is in Station; it
#     fails when it found no table to compare);
#   - both Policy instances answer with the same policy version;
#   - both Identity instances publish the same JWKS and, after `selfsched identity rotate-keys`, the same JWKS again,
#     with the new key in it, within IDENTITY_ROTATION_SECONDS (default 30; they read the keys every 5 s). Not that
#     they sign with it: a new key is published at once but signed with only after a delay (the verifiers' time to
#     fetch it).
# Waits up to DELIVERY_SECONDS (default 150: a killed Station's claimed rows wait out their 60-second claim) for
# the outboxes to drain. Prints every finding; exits 1 when any fails.
set -uo pipefail
cd "$(dirname "$0")/.."
dir="${SCALE_DIR:?SCALE_DIR: the deployment directory}"
bin="${SELFSCHED_BIN:-.build/debug/selfsched}"
set -a; . "$dir/env"; set +a
export SELFSCHED_DATA_DIR="$dir/data" IDENTITY_PUBLIC_URL="$IDENTITY"
failures=0
ok() { echo "  ok: $*"; }
bad() { echo "  FAILED: $*"; failures=$((failures + 1)); }
sql() { psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"; }
ids() { sql "$1" "$2" | sort -u; }

echo "== [$SECONDS s] after the run: every callback and event delivered exactly once"
pending() { sql "$1" "SELECT COUNT(*) FROM outbox_messages WHERE delivered_at IS NULL AND failed_at IS NULL"; }
deadline=$((SECONDS + ${DELIVERY_SECONDS:-150}))
while [ $((SECONDS)) -lt $deadline ]; do
  [ "$(pending "$OSS_DATABASE_URL")" = 0 ] && [ "$(pending "$STATION_DATABASE_URL")" = 0 ] && break
  sleep 2
done
for service in oss station; do
  db=$OSS_DATABASE_URL; [ $service = station ] && db=$STATION_DATABASE_URL
  read -r total waiting given_up < <(sql "$db" "SELECT COUNT(*), COUNT(*) FILTER (WHERE delivered_at IS NULL AND
    failed_at IS NULL), COUNT(*) FILTER (WHERE failed_at IS NOT NULL) FROM outbox_messages" | tr '|' ' ')
  [ "$waiting" = 0 ] && [ "$given_up" = 0 ] && [ "$total" -gt 0 ] \
    && ok "$service: $total messages, all delivered" \
    || bad "$service: $total messages, $waiting pending, $given_up given up"
  # An accepted attempt: a 2xx answer, or a sent mail (no status code) without an error.
  twice=$(sql "$db" "SELECT COUNT(*) FROM (SELECT message FROM outbox_attempts WHERE error IS NULL
    GROUP BY message HAVING COUNT(*) > 1) AS twice")
  unaccepted=$(sql "$db" "SELECT COUNT(*) FROM outbox_messages m WHERE delivered_at IS NOT NULL AND NOT EXISTS
    (SELECT 1 FROM outbox_attempts a WHERE a.message = m.id AND a.error IS NULL)")
  [ "$twice" = 0 ] && [ "$unaccepted" = 0 ] && ok "$service: one accepted attempt per message" \
    || bad "$service: $twice messages accepted more than once, $unaccepted delivered without an accepted attempt"
  overtaken=$(sql "$db" "SELECT COUNT(*) FROM outbox_messages a JOIN outbox_messages b ON a.destination =
    b.destination AND a.ordering_key = b.ordering_key AND a.sequence < b.sequence WHERE b.delivered_at < a.delivered_at")
  [ "$overtaken" = 0 ] && ok "$service: delivered in order per care request" \
    || bad "$service: $overtaken messages delivered before an earlier one of their care request"
done

receivers() { # label, sender's ids, receiver's ids
  local missing extra
  missing=$(comm -23 <(echo "$2") <(echo "$3") | grep -c . || true)
  extra=$(comm -13 <(echo "$2") <(echo "$3") | grep -c . || true)
  [ "$missing" = 0 ] && [ "$extra" = 0 ] && ok "$1: $(echo "$2" | grep -c .) sent, each received once" \
    || bad "$1: $missing sent but not received, $extra received but never sent"
}
express_receipts=$(ids "$EXPRESS_DATABASE_URL" "SELECT webhook_id FROM webhook_receipts")
# live-relay-check.py pushes events of its own (negative ids, evt_-…) straight to an Express instance: not counted.
receivers "Station's events to Express" \
  "$(ids "$STATION_DATABASE_URL" "SELECT message_id FROM outbox_messages WHERE destination = 'express'")" \
  "$(echo "$express_receipts" | grep '^evt_[1-9]')"
receivers "Station's events to OSS" \
  "$(ids "$STATION_DATABASE_URL" "SELECT message_id FROM outbox_messages WHERE destination = 'oss'")" \
  "$(ids "$OSS_DATABASE_URL" "SELECT webhook_id FROM station_event_receipts")"
receivers "OSS's callbacks to Express" \
  "$(ids "$OSS_DATABASE_URL" "SELECT message_id FROM outbox_messages WHERE destination = 'express'")" \
  "$(echo "$express_receipts" | grep -v '^evt_')"
events=$(sql "$STATION_DATABASE_URL" "SELECT COUNT(*) FROM care_request_events")
queued=$(sql "$STATION_DATABASE_URL" "SELECT COUNT(*) FILTER (WHERE destination = 'express') || ' ' ||
  COUNT(*) FILTER (WHERE destination = 'oss') FROM outbox_messages")
[ "$queued" = "$events $events" ] && ok "Station: $events events, one message each to Express and to OSS" \
  || bad "Station: $events events, but messages to Express and to OSS: $queued"

echo "== [$SECONDS s] after the run: no booking over capacity, no care request lost"
station_help=$("$bin" station --help 2>/dev/null || true) # read whole: no `grep -q` closing a pipe under pipefail
if grep -q check-capacity <<< "$station_help"; then
  "$bin" station check-capacity | sed 's/^/  /' && ok "station check-capacity" || bad "station check-capacity"
else
  # Until `selfsched station check-capacity` is in the binary: the same rule in SQL (places taken by the count or
  # by the care requests holding one, neither archived nor synthetic).
  over=$(sql "$STATION_DATABASE_URL" "WITH held AS (SELECT market_id, window_start, COUNT(*) AS held
      FROM care_requests WHERE window_start IS NOT NULL AND status <> 'archived' AND NOT synthetic
      GROUP BY market_id, window_start)
    SELECT COUNT(*) FROM held FULL JOIN time_window_reservations r USING (market_id, window_start)
      JOIN markets m ON m.id = COALESCE(held.market_id, r.market_id)
    WHERE GREATEST(COALESCE(r.booked, 0), COALESCE(held.held, 0)) > COALESCE(r.capacity, m.capacity_per_window)")
  [ "$over" = 0 ] && ok "no time window over capacity (SQL)" || bad "$over time windows over capacity (SQL)"
fi
station_requests=$(ids "$STATION_DATABASE_URL" "SELECT id FROM care_requests")
checked=0 # tables compared with Station's care requests: none compared proves nothing
for db in EXPRESS OSS CONSOLE; do
  url=${db}_DATABASE_URL
  if ! tables=$(sql "${!url}" "SELECT table_name FROM information_schema.columns WHERE column_name =
      'care_request_id' AND table_schema = 'public'"); then
    bad "${db,,}: could not list its tables naming care requests"
    continue
  fi
  for table in $tables; do
    if ! named=$(ids "${!url}" "SELECT DISTINCT care_request_id FROM $table WHERE care_request_id IS NOT NULL"); then
      bad "${db,,}.$table: could not read the care requests it names"
      continue
    fi
    lost=$(comm -13 <(echo "$station_requests") <(echo "$named") | grep -c . || true)
    [ "$lost" = 0 ] && ok "${db,,}.$table: every care request it names ($(echo "$named" | grep -c .)) is in Station" \
      || bad "${db,,}.$table names $lost care requests Station does not have"
    checked=$((checked + 1))
  done
done
[ "$checked" -gt 0 ] && [ -n "$station_requests" ] \
  && ok "$checked tables of Express, OSS and Console compared with Station's $(echo "$station_requests" | grep -c .) care requests" \
  || bad "no request lost: nothing checked ($checked tables naming care requests, $(echo "$station_requests" | grep -c .) care requests in Station)"
# The demo data's care requests were seeded without events; those made since the deployment started have theirs.
unannounced=$(sql "$STATION_DATABASE_URL" "SELECT COUNT(*) FROM care_requests c WHERE created_at > '$(cat "$dir/started-at")'
  AND NOT EXISTS (SELECT 1 FROM care_request_events e WHERE e.care_request_id = c.id)")
[ "$unannounced" = 0 ] && ok "every care request made during the run has its events" \
  || bad "$unannounced care requests without any event"

echo "== [$SECONDS s] after the run: both Policy instances, both Identity instances"
token() { # audience, scope, client
  curl -fs -u "$3:$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$dir/data/secrets.json" "$3")" \
    -d grant_type=client_credentials -d "audience=$1" -d "scope=$2" "$IDENTITY/staff/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
policy_token=$(token policy policy.check console-m2m)
versions=""
for policy in "$POLICY_1" "$POLICY_2"; do
  versions+=$(curl -fs -H "Authorization: Bearer $policy_token" -H 'content-type: application/json' \
    -d '{"principal":{"tenant":"staff","roles":["dispatcher"]},"action":"read","resource":{"type":"market"}}' \
    "$policy/v1/check" | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy_version"])')" "
done
read -r first second <<< "$versions"
[ -n "${second:-}" ] && [ "$first" = "$second" ] && ok "both Policy instances answer with policy version $first" \
  || bad "Policy instances answer with versions '${first:-none}' and '${second:-none}'"

jwks() { curl -fs "$1/staff/jwks" | python3 -c 'import json,sys; print(json.dumps(sorted(json.load(sys.stdin)["keys"], key=lambda k: k["kid"]), sort_keys=True))'; }
kids() { jwks "$1" | python3 -c 'import json,sys; print(" ".join(k["kid"] for k in json.load(sys.stdin)))'; }
[ "$(jwks "$IDENTITY_1")" = "$(jwks "$IDENTITY_2")" ] && [ -n "$(kids "$IDENTITY_1")" ] \
  && ok "both Identity instances publish the same JWKS ($(kids "$IDENTITY_1"))" \
  || bad "Identity instances publish different JWKS: [$(kids "$IDENTITY_1")] and [$(kids "$IDENTITY_2")]"
rotated=$("$bin" identity rotate-keys 2>&1); echo "  $rotated"
kid=$(echo "$rotated" | grep -Eo 'new signing key [^ ]+' | awk '{print $4}')
published_on_both() { # the same JWKS on both instances, with the new key in it
  local first second
  first=$(jwks "$IDENTITY_1") && second=$(jwks "$IDENTITY_2") && [ -n "$first" ] && [ "$first" = "$second" ] \
    && grep -qF "\"kid\": \"$kid\"" <<< "$first"
}
deadline=$((SECONDS + ${IDENTITY_ROTATION_SECONDS:-30})) started=$SECONDS published=""
until [ -z "$kid" ] || [ $SECONDS -ge $deadline ]; do
  published_on_both && { published=1; break; }
  sleep 1
done
if [ -n "$published" ]; then
  ok "after rotate-keys both Identity instances publish the same JWKS, with $kid, within $((SECONDS - started)) s"
else
  bad "after rotate-keys (key ${kid:-none}): instance 1 publishes [$(kids "$IDENTITY_1")], instance 2 [$(kids "$IDENTITY_2")]"
fi

[ $failures = 0 ] && echo "after the run: all held ($SECONDS s)" || echo "after the run: $failures findings failed ($SECONDS s)"
[ $failures = 0 ]
