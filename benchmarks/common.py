"""Helpers shared by the benchmark scripts: where Station's database is and how to query it."""
import os
import sqlite3
import subprocess


def station_query(db, data, sql):
    """Rows of a SQL query against Station's database (SQLite file or PostgreSQL URL)."""
    if db == "sqlite":
        with sqlite3.connect(os.path.join(data, "station.sqlite")) as conn:
            return conn.execute(sql).fetchall()
    out = subprocess.run(["psql", os.environ["STATION_DATABASE_URL"], "-AtF", "\t", "-c", sql],
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
