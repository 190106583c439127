"""A real `selfsched serve` on a fresh data directory and free ports, and a fresh headless Chromium per test."""
import os

import pytest

from selfsched_e2e import Browser, Serve, make_driver


@pytest.fixture(scope="session")
def system():
    if os.environ.get("E2E_EXPRESS_URL"):
        # A deployment started elsewhere (deploy/scale-out.sh): test it through its public URLs.
        yield {name: os.environ[f"E2E_{name.upper()}_URL"] for name in ["express", "oss", "identity"]}
        return
    serve = Serve()
    try:
        serve.start()
        yield serve.system()
    finally:
        serve.stop()


@pytest.fixture
def browser(request):
    driver = make_driver()
    try:
        yield Browser(driver, request.node.name)
    finally:
        driver.quit()


@pytest.fixture
def second_browser(request):
    """Another person's browser, with cookies of its own."""
    driver = make_driver()
    try:
        yield Browser(driver, request.node.name + "_second")
    finally:
        driver.quit()
