"""Helpers shared by the benchmark scripts: where Station's database is and how to query it."""
import os
import sqlite3
import subprocess


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
