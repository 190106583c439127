"""Starts a real `selfsched serve --only identity` on a fresh data directory and free port."""
import json
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def identity():
    binary = os.environ.get("SELFSCHED_BIN", str(ROOT / ".build" / "debug" / "selfsched"))
    data_dir = tempfile.mkdtemp(prefix="selfsched-interop-")
    port = free_port()
    log = open(Path(data_dir) / "serve.log", "w")
    proc = subprocess.Popen(
        [binary, "serve", "--only", "identity", "--data-dir", data_dir, "--identity-port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    base = f"http://localhost:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"selfsched exited: {Path(data_dir, 'serve.log').read_text()}")
            time.sleep(0.5)
        else:
            raise RuntimeError("Identity did not start in 60 s")
        secrets = json.loads((Path(data_dir) / "secrets.json").read_text())
        yield {"base": base, "secrets": secrets}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
