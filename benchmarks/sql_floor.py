"""F2: the database answering W1's and W2's SQL directly, with the same concurrency as the HTTP load."""
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import pgbench, timed_threads  # noqa: E402

db, data, partner, duration, connections, results, size = sys.argv[1:]
duration, connections = float(duration), int(connections)

# The statements Station runs for W1 and W2 (StationStore.listCareRequests and searchPatients), with literals;
# W2's differs by database, as Station's does.
def w1(p):
    return ("SELECT c.id, c.partner_id, c.patient_id, c.status, c.source, c.service_line_id, c.market_id, c.created_ms, "
            "c.created_at, c.created_by_user_id, c.window_start, c.window_end, c.eta_start, c.eta_end, "
            "p.given_name AS patient_given, p.family_name AS patient_family, m.name AS market_name, s.name AS service_line_name "
            "FROM care_requests AS c JOIN patients AS p ON p.id = c.patient_id JOIN markets AS m ON m.id = c.market_id "
            f"JOIN service_lines AS s ON s.id = c.service_line_id WHERE c.partner_id = {p} "
            "ORDER BY c.created_ms DESC, c.id DESC LIMIT 26")

def w2(p):
    ranges = [f"{k} >= 'lor' AND {k} < 'lor{{'" for k in ["family_key", "full_key", "mrn_key"]]
    columns = ("id, partner_id, given_name, family_name, date_of_birth, sex, phone, email, address, mrn, family_key, "
               "given_key, created_at")
    if db == "postgres":
        return (f"SELECT {columns} FROM patients WHERE partner_id = {p} AND ({' OR '.join(f'({r})' for r in ranges)}) "
                "AND 1 = 1 ORDER BY family_key, given_key, id LIMIT 26")
    branches = " UNION ".join(f"SELECT family_key, given_key, id FROM patients WHERE partner_id = {p} AND {r}" for r in ranges)
    return (f"SELECT {columns} FROM patients WHERE id IN (SELECT id FROM ({branches}) AS matched WHERE 1 = 1 "
            "ORDER BY family_key, given_key, id LIMIT 26) ORDER BY family_key, given_key, id")

def record(name, rps, latencies):
    latencies = sorted(latencies)
    row = {"workload": name, "db": db, "size": int(size), "rps": rps,
           "p50_ms": latencies[len(latencies) // 2] if latencies else None,
           "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else None,
           "max_ms": latencies[-1] if latencies else None, "errors": 0}
    open(results, "a").write(json.dumps(row) + "\n")
    print(f"{name:>6} {db:>8} {int(size):>8}: {rps:>9.0f} q/s  p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms")

if db == "sqlite":
    path = os.path.join(data, "station.sqlite")
    literal = f"'{partner.upper()}'"
    for name, sql in [("F2-W1", w1(literal)), ("F2-W2", w2(literal))]:
        latencies = timed_threads(connections, duration, lambda: sqlite3.connect(path, check_same_thread=False),
                                  lambda conn: conn.execute(sql).fetchall())
        record(name, len(latencies) / duration, latencies)
else:
    url = os.environ["STATION_DATABASE_URL"]
    literal = f"'{partner}'::uuid"
    for name, sql in [("F2-W1", w1(literal)), ("F2-W2", w2(literal))]:
        tps, latencies = pgbench(url, sql + ";\n", duration, connections)
        record(name, tps, latencies)
