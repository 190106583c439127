"""F3: the floor under W5. The database itself running exactly the rows one booking writes, in one transaction:
the idempotency record, the capacity reservation (the same conditional update Station runs, so a full window books
nothing), the care request and its first status change. PostgreSQL through `pgbench` (a C client) with W5's
connections; SQLite from Python's sqlite3 with as many threads, each transaction `BEGIN IMMEDIATE`, as Station's
writers are one at a time.

    python3 benchmarks/booking_floor.py DB DATA DURATION CONNECTIONS RESULTS SIZE

Runs after W5; the rows it writes are deleted and Denver's places put back as they were, so the next size is
seeded from the same data.
"""
import json
import os
import sqlite3
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from common import pgbench, station_query, timed_threads  # noqa: E402

db, data, duration, connections, results, size = sys.argv[1:]
duration, connections = float(duration), int(connections)
denver = "3a7e0000-0000-4000-8000-000000000001"
partner = "5a7e0000-0000-4000-8000-000000000001"


def uuid_literal(value):
    return f"'{value.upper()}'" if db == "sqlite" else f"'{value}'::uuid"


# A patient of the partner and a service line: the same foreign keys a W5 booking carries.
patient = str(station_query(db, data, f"SELECT id FROM patients WHERE partner_id = {uuid_literal(partner)} LIMIT 1")[0][0])
line = str(station_query(db, data, "SELECT id FROM service_lines LIMIT 1")[0][0])
windows = station_query(db, data, "SELECT id, booked, capacity FROM time_window_reservations WHERE market_id = "
                        f"{uuid_literal(denver)} ORDER BY window_start")
if not windows:
    sys.exit("F3: Denver has no reserved windows; run W5 first")
address = json.dumps({"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"})
requester = json.dumps({"name": "Bench", "phone": "3035550100"})
screening = json.dumps({"questionnaire_version": "bench", "answers": {}, "outcome": "self_schedule", "reason_codes": []})


def record(rps, latencies, made):
    latencies = sorted(latencies)
    row = {"workload": "F3", "db": db, "size": int(size), "rps": rps,
           "p50_ms": latencies[len(latencies) // 2] if latencies else None,
           "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else None,
           "max_ms": latencies[-1] if latencies else None, "errors": 0, "bookings": made}
    open(results, "a").write(json.dumps(row) + "\n")
    print(f"    F3 {db:>8} {int(size):>8}: {rps:>9.0f} bookings/s  p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms")


def clean_up():
    """Deletes what the floor wrote and gives Denver's windows back the places they had."""
    station_query(db, data, "DELETE FROM care_request_status_changes WHERE care_request_id IN "
                  "(SELECT id FROM care_requests WHERE chief_complaint = 'Floor booking');\n"
                  "DELETE FROM care_requests WHERE chief_complaint = 'Floor booking';\n"
                  "DELETE FROM idempotency_keys WHERE caller = 'floor';\n"
                  + "".join(f"UPDATE time_window_reservations SET booked = {booked}, capacity = {capacity} "
                            f"WHERE id = {uuid_literal(str(wid))};\n" for wid, booked, capacity in windows)
                  + "SELECT 1")


# Room for every booking the run can make, so the conditional update always books.
station_query(db, data, "UPDATE time_window_reservations SET capacity = booked + 1000000 WHERE market_id = "
              f"{uuid_literal(denver)};\nSELECT 1")
try:
    if db == "sqlite":
        path = os.path.join(data, "station.sqlite")
        ids = [str(w[0]) for w in windows]

        def connect():
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=60)
            conn.execute("PRAGMA synchronous = FULL")
            return {"conn": conn, "n": 0}

        def book(state):
            conn, now = state["conn"], time.time()
            request, window = str(uuid.uuid4()).upper(), ids[state["n"] % len(ids)]
            state["n"] += 1
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO idempotency_keys (id, caller, key, request_hash, state, care_request_id, "
                         "created_at) VALUES (?, 'floor', ?, 'hash', 'completed', ?, ?)",
                         (str(uuid.uuid4()).upper(), str(uuid.uuid4()), request, now))
            conn.execute("UPDATE time_window_reservations SET booked = booked + 1, updated_at = ? "
                         "WHERE id = ? AND booked < capacity RETURNING id", (now, window)).fetchall()
            conn.execute("INSERT INTO care_requests (id, partner_id, patient_id, market_id, service_line_id, "
                         "source, status, phase, chief_complaint, visit_address, requester, screening, "
                         "window_start, window_end, synthetic, created_ms, created_at, updated_at, "
                         "calendar_sequence) VALUES (?, ?, ?, ?, ?, 'express', 'requested', 'current', "
                         "'Floor booking', ?, ?, ?, ?, ?, 0, ?, ?, ?, 0)",
                         (request, partner.upper(), patient, denver.upper(), line, address, requester, screening,
                          now, now + 7200, int(now * 1000), now, now))
            conn.execute("INSERT INTO care_request_status_changes (id, care_request_id, from_status, to_status, "
                         "actor, reason, changed_at) VALUES (?, ?, NULL, 'requested', 'express', NULL, ?)",
                         (str(uuid.uuid4()).upper(), request, now))
            conn.execute("COMMIT")

        latencies = timed_threads(connections, duration, connect, book)
        record(len(latencies) / duration, latencies, len(latencies))
    else:
        # pgbench has no arrays: the windows go in a table keyed 1…n, read by its primary key.
        station_query(db, data, "DROP TABLE IF EXISTS bench_floor_windows;\n"
                      "CREATE TABLE bench_floor_windows (n int PRIMARY KEY, id uuid NOT NULL);\n"
                      "INSERT INTO bench_floor_windows SELECT row_number() OVER (ORDER BY window_start), id "
                      f"FROM time_window_reservations WHERE market_id = '{denver}'::uuid;\nSELECT 1")
        try:
            tps, latencies = pgbench(os.environ["STATION_DATABASE_URL"], f"""\\set w random(1, {len(windows)})
BEGIN;
INSERT INTO idempotency_keys (id, caller, key, request_hash, state, care_request_id, created_at) VALUES (gen_random_uuid(), 'floor', gen_random_uuid()::text, 'hash', 'completed', NULL, now());
UPDATE time_window_reservations SET booked = booked + 1, updated_at = now() WHERE id = (SELECT id FROM bench_floor_windows WHERE n = :w) AND booked < capacity RETURNING id;
INSERT INTO care_requests (id, partner_id, patient_id, market_id, service_line_id, source, status, phase, chief_complaint, visit_address, requester, screening, window_start, window_end, synthetic, created_ms, created_at, updated_at, calendar_sequence) VALUES (gen_random_uuid(), '{partner}', '{patient}', '{denver}', '{line}', 'express', 'requested', 'current', 'Floor booking', '{address}', '{requester}', '{screening}', now(), now() + interval '2 hours', false, (extract(epoch from now()) * 1000)::bigint, now(), now(), 0) RETURNING id AS request \\gset
INSERT INTO care_request_status_changes (id, care_request_id, from_status, to_status, actor, reason, changed_at) VALUES (gen_random_uuid(), ':request', NULL, 'requested', 'express', NULL, now());
END;
""", duration, connections)
        finally:
            station_query(db, data, "DROP TABLE IF EXISTS bench_floor_windows;\nSELECT 1")
        made = int(station_query(db, data, "SELECT COUNT(*) FROM care_requests WHERE chief_complaint = 'Floor booking'")[0][0])
        record(tps, latencies, made)
finally:
    clean_up()
