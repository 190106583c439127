"""Shared by every end-to-end tier (browser, fuzz, a11y): their helpers live in e2e/selfsched_e2e.py."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from selfsched_e2e import Serve  # noqa: E402  (after the path is set)


@pytest.fixture(scope="session")
def serve():
    """A real `selfsched serve` on a fresh data directory and free ports, for the whole session."""
    serve = Serve()
    try:
        yield serve.start()
    finally:
        serve.stop()
