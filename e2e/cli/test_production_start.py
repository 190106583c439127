"""`selfsched serve` with SELFSCHED_ENV=production: the demo data (whose password is public) is never loaded, and a
database that already holds demo accounts is refused at start."""
import os
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from selfsched_e2e import ROOT, SERVICES, free_ports, services_of

SECRETS = ["EXPRESS_CLIENT_SECRET", "EXPRESS_M2M_CLIENT_SECRET", "EXPRESS_WEBHOOK_SECRET", "EXPRESS_UNSUBSCRIBE_SECRET",
           "OSS_PARTNER_CLIENT_SECRET",
           "OSS_D2M_CLIENT_SECRET", "OSS_M2M_CLIENT_SECRET", "OSS_WEBHOOK_SECRET", "STATION_EVENTS_SECRET",
           "CONSOLE_CLIENT_SECRET", "CONSOLE_M2M_CLIENT_SECRET"]
BINARY = os.environ.get("SELFSCHED_BIN", str(ROOT / ".build" / "debug" / "selfsched"))
RUNNING = services_of(BINARY)


def serve(data_dir, production, **extra_env):
    """Starts serve on free ports; values of `extra_env` may name them, as {identity}, {station}, ..."""
    env = dict(os.environ)
    env.pop("SELFSCHED_ENV", None)
    if production:
        env["SELFSCHED_ENV"] = "production"
        for name in SECRETS:
            env[name] = "whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMjM0NQ=="
    ports = dict(zip(RUNNING, free_ports(len(RUNNING))))
    env.update({name: value.format(**ports) for name, value in extra_env.items()})
    arguments = [BINARY, "serve", "--data-dir", data_dir]
    for name, port in ports.items():
        if name in SERVICES:
            arguments += [f"--{name}-port", str(port)]
    if "console" in ports:  # by its environment, as Serve does (e2e/selfsched_e2e.py)
        env.update(CONSOLE_PORT=str(ports["console"]), CONSOLE_PUBLIC_URL=f"http://localhost:{ports['console']}")
    log = open(Path(data_dir) / f"serve-{'prod' if production else 'dev'}.log", "w+")
    proc = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    return proc, ports, log


def wait_healthy(proc, ports, log):
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise AssertionError("serve exited:\n" + log.read()[-3000:])
        try:
            if all(requests.get(f"http://localhost:{p}/healthz", timeout=1).ok for p in ports.values()):
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError("serve did not become healthy")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def accounts(data_dir):
    with sqlite3.connect(Path(data_dir) / "identity.sqlite") as db:
        return [row[0] for row in db.execute("SELECT email FROM accounts")]


def test_production_start_loads_no_demo_data():
    data_dir = tempfile.mkdtemp(prefix="selfsched-prod-")
    proc, ports, log = serve(data_dir, production=True)
    try:
        wait_healthy(proc, ports, log)
    finally:
        stop(proc)
    log.seek(0)
    output = log.read()
    assert "demo accounts" not in output
    assert accounts(data_dir) == []


def test_production_refuses_a_database_with_demo_accounts():
    data_dir = tempfile.mkdtemp(prefix="selfsched-prod-")
    proc, ports, log = serve(data_dir, production=False)
    try:
        wait_healthy(proc, ports, log)
    finally:
        stop(proc)
    assert "scheduler@sunrise.example" in accounts(data_dir)

    proc, ports, log = serve(data_dir, production=True)
    try:
        status = proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        stop(proc)
        pytest.fail("serve started in production on a database holding the demo accounts")
    log.seek(0)
    output = log.read()
    assert status != 0
    assert "holds demo accounts" in output, output[-2000:]


def test_a_trusted_issuer_whose_discovery_names_another_issuer_stops_the_start():
    data_dir = tempfile.mkdtemp(prefix="selfsched-issuer-")
    # Identity publishes http://localhost:<port>/staff; a list naming 127.0.0.1 trusts an issuer that never signs.
    proc, ports, log = serve(data_dir, production=False, STATION_TRUSTED_ISSUERS="http://127.0.0.1:{identity}/staff")
    try:
        status = proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        stop(proc)
        pytest.fail("serve started with a trusted issuer whose discovery document names another issuer")
    log.seek(0)
    output = log.read()
    assert status != 0
    assert "discovery document names the issuer" in output, output[-2000:]
