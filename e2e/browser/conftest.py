"""A real `selfsched serve` on a fresh data directory and free ports, sending its analytics to a collector of the
test's own (collector.py), and a fresh headless Chromium per test.

`-m scale_out` runs only the scenarios marked `scale_out`: the ones deploy/scale-out-check.sh runs through nginx
while it kills one instance of each service. Together they use every service: the partner's handoff Express → OSS →
Station, a patient's booking in OSS, a change and a cancellation, Console's nurse and dispatcher, and Express's live
pages. With E2E_PROGRESS_FILE set, each test's end is written there as it happens (the check starts its kills after
the first one and fails when the last one ended before the kills did)."""
import os
import secrets
import time

import pytest

from collector import Collector
from phi_search import RequestLog
from selfsched_e2e import Browser, Serve, make_driver


def pytest_configure(config):
    config.addinivalue_line("markers", "after_browser_scenarios: runs after every other test of the session")
    config.addinivalue_line("markers", "links_demo_patient: makes a request as the demo patient after test_6 has")
    config.addinivalue_line("markers", "scale_out: one of the scenarios the scale-out check runs while it kills "
                            "instances (deploy/scale-out-check.sh runs `-m scale_out`)")


def pytest_collection_modifyitems(items):
    """The PHI-absence checks read what the scenarios left behind, so they run last; before them, the tests that
    make requests as the demo patient, after test_6 (the account's first request links it to the patient whose
    details test_6 types in; later requests do not ask for them). A stable sort."""
    items.sort(key=lambda item: (item.get_closest_marker("after_browser_scenarios") is not None,
                                 item.get_closest_marker("links_demo_patient") is not None))


def pytest_runtest_logreport(report):
    """Notes the end of each test that ran (not one skipped, which proves nothing about the kills), with the time,
    in E2E_PROGRESS_FILE when it is set."""
    if report.when == "call" and not report.skipped and (path := os.environ.get("E2E_PROGRESS_FILE")):
        with open(path, "a") as file:
            file.write(f"{time.strftime('%H:%M:%S')} {report.nodeid}\n")


@pytest.fixture(scope="session")
def request_log():
    """Every URL the session's browsers requested, for the PHI-absence check (test_phi_absence.py)."""
    return RequestLog()


@pytest.fixture(scope="session")
def system():
    if os.environ.get("E2E_EXPRESS_URL"):
        # A deployment started elsewhere (deploy/scale-out.sh): test it through its public URLs.
        system = {name: os.environ[f"E2E_{name.upper()}_URL"] for name in ["express", "oss", "identity"]}
        # Its secrets (for the dispatcher's machine token) but not its data: the PHI checks read a local serve's
        # log and SQLite files, which a deployment on PostgreSQL with several instances does not have.
        system.update(station=os.environ.get("E2E_STATION_URL"), secrets_dir=os.environ.get("E2E_SECRETS_DIR"),
                      console=os.environ.get("E2E_CONSOLE_URL"))
        yield system
        return
    collector = Collector(write_key="e2e-" + secrets.token_hex(12)).start()
    # A partial batch leaves 200 ms after its first message, so the tests wait little for what they check.
    serve = Serve(env={"ANALYTICS_URL": collector.url, "ANALYTICS_WRITE_KEY": collector.write_key,
                       "ANALYTICS_FLUSH_MS": "200"})
    try:
        serve.start()
        yield {**serve.system(), "collector": collector}
    finally:
        serve.stop()
        collector.stop()


@pytest.fixture
def browser(request, request_log):
    driver = make_driver(record_requests=True)
    try:
        yield Browser(driver, request.node.name)
    finally:
        try:
            request_log.record(driver)
        finally:
            driver.quit()


@pytest.fixture
def second_browser(request, request_log):
    """Another person's browser, with cookies of its own."""
    driver = make_driver(record_requests=True)
    try:
        yield Browser(driver, request.node.name + "_second")
    finally:
        try:
            request_log.record(driver)
        finally:
            driver.quit()
