"""W6: live updates. Browsers hold Express's live stream open while dispatch moves care requests through Station.

  live.py <db> <data dir> <size> <results> <serve pid> <connections> <seconds> <changes per second>

Prepares: Express knows only the demo partners, and no command adds one, so the synthetic partners that
`selfsched seed --scale` gave Station (those with the most requests still `requested`, 20 browsers each) get an
Express partner row with the same id, Sunrise's feature flags and one scheduler each, written into Express's
database as the other benchmarks write Station's. Browsers sign in as Identity would leave them: one real
sign-in of scheduler@sunrise.example, whose session row is copied once per connection with the copy's own cookie
and its partner's scheduler as the user (a session per connection, as many browsers would hold).

Runs: waits until Station's outbox holds nothing from earlier workloads (W5's bookings are events too), then opens
every connection to `GET /care-requests/live` (server-sent events) and waits until all answer; then, at a fixed
rate, moves the chosen requests requested → accepted → scheduled (with an ETA) → on_route → on_scene → complete
through Station's dispatch API, round-robin over the partners; keeps listening until no browser has heard anything
for three seconds (at most a minute), so a backlog shows as latency, not as loss. Station's event feed (`GET
/v1/events`) gives each event's time (`at`, taken in Station's transaction, just before it commits) and partner; a
browser's figure is the moment its `id:` line arrived. Records, per event, the time until every browser of its
partner had it (p50, p99, max), the part of it until Express received the push (its `live_events.received_at`),
events some browser of the partner never got, events a browser of another partner got, and the serve process's
memory.
Figures only: nothing here passes or fails."""
import asyncio
import datetime
import hashlib
import json
import math
import os
import secrets
import subprocess
import sys
import time
import uuid
import aiohttp
from common import service_query, station_query, token

EXPRESS, STATION = "http://localhost:8080", "http://localhost:8082"
PER_PARTNER = 20
STEPS = ["accepted", "scheduled", "on_route", "on_scene", "complete"]

db, data, size, results, serve_pid = sys.argv[1:6]
connections, seconds, rate = int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])


def literal(value):
    return "'" + str(value).replace("'", "''") + "'"


def uuid_literal(value):
    return literal(str(value).upper()) if db == "sqlite" else literal(str(value).lower()) + "::uuid"


def memory(field):
    try:
        for line in open(f"/proc/{serve_pid}/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def prepare():
    """Returns [(partner id, [care request ids])] and [(cookie, partner id)], one cookie per connection."""
    wanted = max(1, math.ceil(connections / PER_PARTNER))
    rows = station_query(db, data, "SELECT c.partner_id, COUNT(*) FROM care_requests AS c JOIN partners AS p ON "
                                   "p.id = c.partner_id WHERE p.slug LIKE 'synthetic-%' AND c.status = 'requested' "
                                   f"GROUP BY c.partner_id ORDER BY COUNT(*) DESC LIMIT {wanted}")
    partners = [str(r[0]).lower() for r in rows]
    if not partners:
        sys.exit("W6: Station has no synthetic partner with a requested care request (run `selfsched seed --scale`)")
    needed = math.ceil(rate * seconds / len(STEPS) / len(partners)) + 1
    requests_by_partner = []
    for partner in partners:
        ids = station_query(db, data, f"SELECT id FROM care_requests WHERE partner_id = {uuid_literal(partner)} "
                                      f"AND status = 'requested' ORDER BY created_ms DESC LIMIT {needed}")
        requests_by_partner.append((partner, [str(r[0]).lower() for r in ids]))

    sunrise = "5a7e0000-0000-4000-8000-000000000001"
    known = {str(r[0]).lower() for r in service_query(db, data, "express", "SELECT id FROM partners")}
    users = {}
    statements = []
    for n, partner in enumerate(partners):
        email = f"w6-{partner}@bench.example"
        found = service_query(db, data, "express", f"SELECT id FROM users WHERE email = {literal(email)}")
        if found:
            users[partner] = str(found[0][0]).lower()
            continue
        users[partner] = str(uuid.uuid4())
        if partner not in known:
            statements.append(f"INSERT INTO partners (id, slug, name) VALUES ({uuid_literal(partner)}, "
                              f"{literal('w6-' + partner[:8])}, {literal('W6 Partner ' + partner[:8])})")
            statements.append("INSERT INTO feature_flags (id, partner_id, flag, enabled, updated_at) SELECT "
                              f"{uuid_literal(uuid.uuid4())}, {uuid_literal(partner)}, flag, enabled, updated_at "
                              f"FROM feature_flags WHERE partner_id = {uuid_literal(sunrise)} AND flag = 'station_care_requests'")
        statements.append("INSERT INTO users (id, partner_id, email, name, role, active, created_at, synthetic) SELECT "
                          f"{uuid_literal(users[partner])}, {uuid_literal(partner)}, {literal(email)}, "
                          f"{literal('W6 Scheduler ' + str(n + 1))}, role, active, created_at, synthetic FROM users "
                          "WHERE email = 'scheduler@sunrise.example'")
    if statements:
        service_query(db, data, "express", ";\n".join(statements + ["SELECT 1"]))

    template = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "sign_in.py")],
                              check=True, capture_output=True, text=True).stdout.strip()
    template_hash = hashlib.sha256(template.encode()).hexdigest()
    browsers, values = [], []
    for n in range(connections):
        partner = partners[n % len(partners)]
        cookie = secrets.token_urlsafe(32)
        browsers.append((cookie, partner))
        values.append(f"({literal(hashlib.sha256(cookie.encode()).hexdigest())}, {literal(users[partner])})")
    data_with_user = ("json_set(s.data, '$.user_id', v.column2)" if db == "sqlite"
                      else "s.data::jsonb || jsonb_build_object('user_id', v.column2::text)")
    for start in range(0, len(values), 500):
        service_query(db, data, "express",
                      "INSERT INTO web_sessions (id_hash, data, created_at, last_seen_at) SELECT v.column1, "
                      f"{data_with_user}, s.created_at, s.last_seen_at FROM web_sessions AS s, "
                      f"(VALUES {', '.join(values[start:start + 500])}) AS v WHERE s.id_hash = {literal(template_hash)};\n"
                      "SELECT 1")
    return requests_by_partner, browsers


def feed_cursor(feed_token, after=0):
    """Pages Station's event feed from `after` to its end; returns the last id and the events read."""
    import requests
    events = []
    while True:
        page = requests.get(f"{STATION}/v1/events", params={"after": after, "limit": 500},
                            headers={"Authorization": f"Bearer {feed_token}"})
        page.raise_for_status()
        body = page.json()
        events += body["events"]
        after = body["next_after"]
        if not body["has_more"]:
            return after, events


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


async def listen(session, cookie, arrivals, opened, failures):
    """One browser: holds the stream open and notes when each event id arrives."""
    try:
        async with session.get(f"{EXPRESS}/care-requests/live", allow_redirects=False,
                               headers={"Cookie": f"express_session={cookie}", "Accept": "text/event-stream"}) as response:
            if response.status != 200:
                failures.append(f"status {response.status}")
                opened.set_result(False)
                return
            opened.set_result(True)
            async for line in response.content:
                if line.startswith(b"id:"):
                    arrivals.append((int(line[3:].strip()), time.time()))
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        failures.append(type(error).__name__)
        if not opened.done():
            opened.set_result(False)


async def dispatch(http, dispatch_token, requests_by_partner, sent, answers):
    """Moves care requests at the fixed rate, round-robin over partners; a request has one change in flight.
    `answers` gets the time each change took Station to answer, in seconds."""
    queues = [(partner, [[cr, 0] for cr in ids]) for partner, ids in requests_by_partner]
    busy = set()
    headers = {"Authorization": f"Bearer {dispatch_token}", "Content-Type": "application/json"}
    now = datetime.datetime.now(datetime.timezone.utc)
    eta = {"start": (now + datetime.timedelta(hours=1)).isoformat(), "end": (now + datetime.timedelta(hours=3)).isoformat()}

    async def change(item):
        cr, step = item
        body = {"to": STEPS[step]}
        if STEPS[step] == "scheduled":
            body["eta"] = eta
        began = time.monotonic()
        try:
            async with http.post(f"{STATION}/v1/care-requests/{cr}/status-changes", data=json.dumps(body),
                                 headers=headers) as response:
                await response.read()
                answers.append(time.monotonic() - began)
                sent.append(response.status)
                if response.status == 200:
                    item[1] += 1
        except aiohttp.ClientError:
            sent.append(0)
        finally:
            busy.discard(cr)

    tasks, started, turn = [], time.monotonic(), 0
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        for _ in range(len(queues)):
            partner, items = queues[turn % len(queues)]
            turn += 1
            item = next((i for i in items if i[1] < len(STEPS) and i[0] not in busy), None)
            if item:
                busy.add(item[0])
                tasks.append(asyncio.create_task(change(item)))
                break
        else:
            sent.append(-1)  # nothing left to move
    await asyncio.gather(*tasks)


def station_backlog():
    return int(station_query(db, data, "SELECT COUNT(*) FROM outbox_messages WHERE delivered_at IS NULL "
                                       "AND failed_at IS NULL")[0][0])


async def main():
    # Earlier workloads (W5's bookings) leave events in Station's outbox; W6 starts once they are delivered.
    backlog, waited = station_backlog(), time.monotonic()
    while station_backlog() and time.monotonic() - waited < 600:
        await asyncio.sleep(2)
    waited = time.monotonic() - waited
    if backlog:
        print(f"W6: waited {waited:.0f} s for {backlog} pending messages in Station's outbox", flush=True)
    requests_by_partner, browsers = prepare()
    feed_token = token(data, scope="station.events.read", client="express-m2m")
    dispatch_token = token(data, scope="station.dispatch")
    start_after, _ = feed_cursor(feed_token)

    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None)
    arrivals = [[] for _ in browsers]
    failures, peak_rss = [], [0.0]
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as streams, \
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        loop = asyncio.get_running_loop()
        opened = [loop.create_future() for _ in browsers]
        gate = asyncio.Semaphore(64)

        async def open_one(n):
            async with gate:
                task = asyncio.create_task(listen(streams, browsers[n][0], arrivals[n], opened[n], failures))
                await opened[n]
                return task

        began = time.monotonic()
        listeners = await asyncio.gather(*(open_one(n) for n in range(len(browsers))))
        open_seconds = time.monotonic() - began
        connected = [n for n, f in enumerate(opened) if f.result()]
        print(f"W6: {len(connected)}/{len(browsers)} live connections open in {open_seconds:.1f} s "
              f"({len(requests_by_partner)} partners)", flush=True)

        async def sample():
            while True:
                peak_rss[0] = max(peak_rss[0], memory("VmRSS"))
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        sent, answers = [], []
        await dispatch(http, dispatch_token, requests_by_partner, sent, answers)
        # Until no browser has heard anything for three seconds (a backlog still drains), at most a minute.
        drained = time.monotonic()
        while time.monotonic() - drained < 60:
            heard = sum(len(a) for a in arrivals)
            await asyncio.sleep(3)
            if sum(len(a) for a in arrivals) == heard:
                break
        drain_seconds = time.monotonic() - drained
        sampler.cancel()
        still_open = sum(1 for n in connected if not listeners[n].done())
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)

    _, events = feed_cursor(feed_token, start_after)
    # Each event's time as Station stored it (taken in the transaction that commits the change). The feed's `at` is
    # whole seconds, which added half a second on average (up to a whole one) to every latency measured from it.
    epoch = "occurred_at" if db == "sqlite" else "EXTRACT(EPOCH FROM occurred_at)"
    occurred = {int(r[0]): float(r[1]) for r in station_query(
        db, data, f"SELECT id, {epoch} FROM care_request_events WHERE id > {int(start_after)}")}

    def event_time(event):
        return occurred.get(event["id"], instant(event["at"]))

    mine = {str(cr) for _, ids in requests_by_partner for cr in ids}
    events = [e for e in events if e["care_request_id"].lower() in mine]
    by_partner = {}
    for n in connected:
        by_partner.setdefault(browsers[n][1], []).append(n)
    got = [dict(a) for a in arrivals]
    duplicates = sum(len(a) - len(g) for a, g in zip(arrivals, got))
    everyone, each, missed, wrong = [], [], 0, 0
    for event in events:
        at, partner = event_time(event), (event.get("partner_id") or "").lower()
        times = [got[n].get(event["id"]) for n in by_partner.get(partner, [])]
        each += [t - at for t in times if t is not None]
        if times and all(t is not None for t in times):
            everyone.append(max(times) - at)
        elif times:
            missed += 1
        wrong += sum(1 for p, ns in by_partner.items() if p != partner for n in ns if event["id"] in got[n])

    # Where the time goes: Station's push to Express (its outbox), then Express to the browsers (hub and stream).
    epoch = "received_at" if db == "sqlite" else "EXTRACT(EPOCH FROM received_at)"
    received = {int(r[0]): float(r[1]) for r in service_query(
        db, data, "express", f"SELECT id, {epoch} FROM live_events WHERE id > {int(start_after)}")}
    to_express = [received[e["id"]] - event_time(e) for e in events if e["id"] in received]

    def pct(values, q):
        if not values:
            return None
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    changed = sum(1 for s in sent if s == 200)
    row = {"workload": "W6", "db": db, "size": int(size), "connections": len(browsers), "connected": len(connected),
           "still_open": still_open, "partners": len(requests_by_partner), "seconds": seconds, "rate": rate,
           "changes": changed, "changes_refused": sum(1 for s in sent if s not in (200, -1)),
           "changes_skipped": sent.count(-1), "events": len(events), "p50_ms": pct(everyone, 0.5),
           "p99_ms": pct(everyone, 0.99), "max_ms": pct(everyone, 1.0), "each_p50_ms": pct(each, 0.5),
           "each_p99_ms": pct(each, 0.99), "express_p50_ms": pct(to_express, 0.5),
           "express_p99_ms": pct(to_express, 0.99), "express_received": len(to_express),
           "change_p50_ms": pct(answers, 0.5), "change_p99_ms": pct(answers, 0.99),
           "drain_seconds": round(drain_seconds, 1), "backlog_before": backlog, "backlog_wait_seconds": round(waited, 1),
           "deliveries": len(each), "events_missed": missed,
           "deliveries_to_other_partners": wrong, "duplicates": duplicates, "open_seconds": round(open_seconds, 1),
           "connection_failures": len(failures), "rss_mb": round(peak_rss[0], 1),
           "peak_rss_mb": round(memory("VmHWM"), 1)}
    open(results, "a").write(json.dumps(row) + "\n")
    print(f"  W6 {db:>8} {int(size):>8}: {len(connected)} browsers over {len(requests_by_partner)} partners, "
          f"{changed} changes, {len(events)} events ({len(to_express)} reached Express: p50 {row['express_p50_ms']} ms, "
          f"p99 {row['express_p99_ms']} ms; Station answered each change in p50 {row['change_p50_ms']} ms, "
          f"p99 {row['change_p99_ms']} ms); every browser of the partner: p50 {row['p50_ms']} ms "
          f"p99 {row['p99_ms']} ms max {row['max_ms']} ms; missed {missed}, to other partners {wrong}; "
          f"RSS {row['rss_mb']} MB (peak {row['peak_rss_mb']} MB)")


asyncio.run(main())
