"""Helpers shared by the benchmark scripts: where Station's database is and how to query it."""
import os
import re
import sqlite3
import subprocess
import tempfile
import threading
import time


def station_query(db, data, sql):
    """Rows of a SQL query against Station's database (SQLite file or PostgreSQL URL)."""
    return service_query(db, data, "station", sql)


def service_query(db, data, service, sql):
    """Rows of a SQL query (or the last of several, separated by semicolons) against a service's database."""
    if db == "sqlite":
        with sqlite3.connect(os.path.join(data, f"{service}.sqlite")) as conn:
            *writes, last = [s for s in sql.split(";\n") if s.strip()]
            for statement in writes:
                conn.execute(statement)
            return conn.execute(last).fetchall()
    out = subprocess.run(["psql", os.environ[f"{service.upper()}_DATABASE_URL"], "-AtF", "\t", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines() if line]


def token(data, scope=None, client=None, audience=None):
    args = [os.environ.get("BENCH_BIN", ".build-release/release/selfsched"), "token", "--data-dir", data]
    if scope:
        args += ["--scope", scope]
    if client:
        args += ["--client", client]
    if audience:
        args += ["--audience", audience]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]


def timed_threads(connections, duration, setup, once):
    """Runs `once(state)` in `connections` threads (each with `state = setup()`) for `duration` seconds; returns
    every run's latency in milliseconds."""
    latencies, lock, stop = [], threading.Lock(), time.time() + duration

    def worker():
        state, local = setup(), []
        while time.time() < stop:
            started = time.perf_counter()
            once(state)
            local.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return latencies


def pgbench(url, script, duration, connections):
    """Runs a pgbench script against `url`; returns (transactions per second, latencies in ms), or raises with
    pgbench's error."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "script.sql")
        open(path, "w").write(script)
        out = subprocess.run(["pgbench", "-n", "-T", str(int(duration)), "-c", str(connections), "-j", "2", "-f", path,
                              "-l", "--log-prefix", os.path.join(tmp, "log"), url],
                             capture_output=True, text=True, cwd=tmp)
        match = re.search(r"tps = ([\d.]+)", out.stdout)
        if not match:
            raise RuntimeError("pgbench failed: " + out.stderr[-2000:])
        latencies = []
        for log in os.listdir(tmp):
            if log.startswith("log"):
                for line in open(os.path.join(tmp, log)):
                    parts = line.split()
                    if len(parts) > 2:
                        latencies.append(int(parts[2]) / 1000)
        return float(match.group(1)), latencies
