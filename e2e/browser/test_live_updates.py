"""Live status in a real browser: the partner's list is open, a dispatcher moves a request in Station, and the
row changes in place, without a reload (Station's push → Express → server-sent events → the row refetched)."""
import json
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from selfsched_e2e import machine_token
from test_scenarios import express_sign_in


def dispatcher_token(system):
    """A token of the command-line machine client, which may dispatch (as a dispatcher's tool would)."""
    secrets = json.loads((Path(system["data_dir"]) / "secrets.json").read_text())
    return machine_token(system["identity"], "cli-m2m", secrets["cli-m2m"], "station", "station.dispatch")


def status_of(driver, care_request):
    rows = driver.find_elements(By.CSS_SELECTOR, f"tr[data-live-id='{care_request}'] .status")
    return rows[0].text if rows else None


def test_11_a_dispatchers_change_shows_in_the_open_list_without_a_reload(browser, system):
    if not system.get("station") or not system.get("data_dir"):
        pytest.skip("needs Station's URL and the data directory's secrets (E2E_STATION_URL, E2E_DATA_DIR)")
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("the list is open, with a requested care request"):
        row = b.driver.find_element(By.XPATH, "//tbody/tr[@data-live-id][.//span[contains(@class, 'status-requested')]]")
        care_request = row.get_attribute("data-live-id")
        assert status_of(b.driver, care_request) == "Requested"
        # Marks this very document: a reload would lose it.
        b.driver.execute_script("window.liveTestMarker = 'still the same page';")
        WebDriverWait(b.driver, 10).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
    with b.step("a dispatcher accepts it in Station"):
        answer = requests.post(
            f"{system['station']}/v1/care-requests/{care_request}/status-changes",
            headers={"Authorization": f"Bearer {dispatcher_token(system)}"}, json={"to": "accepted"}, timeout=10)
        assert answer.status_code == 200, answer.text
    with b.step("the row says Accepted, in place"):
        WebDriverWait(b.driver, 10, poll_frequency=0.2).until(
            lambda d: status_of(d, care_request) == "Accepted")
        assert b.driver.execute_script("return window.liveTestMarker") == "still the same page"
        announcer = b.driver.find_element(By.CSS_SELECTOR, "[data-live-announcer]")
        WebDriverWait(b.driver, 5).until(lambda d: "is now Accepted" in announcer.get_attribute("textContent"))
    with b.step("a reload shows the same"):
        b.driver.refresh()
        assert status_of(b.driver, care_request) == "Accepted"
