"""Live status in a real browser: the partner's list is open, a dispatcher moves a request in Station, and the
row changes in place, without a reload (Station's push → Express → server-sent events → the row refetched); the
same on the request's own page. A request created meanwhile appears at the top of the open list."""
import datetime
import json
import uuid
from pathlib import Path

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from selfsched_e2e import machine_token
from test_scenarios import express_sign_in


def secrets_dir(system):
    """Where the deployment's generated secrets are: a local serve's data directory, or E2E_SECRETS_DIR."""
    return system.get("secrets_dir") or system.get("data_dir")


def dispatcher_token(system, scope="station.dispatch"):
    """A token of the command-line machine client, which may dispatch (as a dispatcher's tool would)."""
    secrets = json.loads((Path(secrets_dir(system)) / "secrets.json").read_text())
    return machine_token(system["identity"], "cli-m2m", secrets["cli-m2m"], "station", scope)


SUNRISE = "5a7e0000-0000-4000-8000-000000000001"


def create_for_sunrise(system, window=None):
    """Creates a care request for Sunrise in Station with a machine token, as OSS does at the end of a flow; booked
    in `window` ({"start", "end"} as Station gives them) when one is given."""
    token = dispatcher_token(system, "station.patients.read station.care_requests.write")
    headers = {"Authorization": f"Bearer {token}"}

    def get(path):
        answer = requests.get(system["station"] + path, headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()

    patient = get(f"/v1/partners/{SUNRISE}/patients?q=whitfield")["items"][0]["id"]
    body = {
        "patient_id": patient, "partner_id": SUNRISE, "service_line_id": get("/v1/service-lines")[0]["id"],
        "source": "express", "chief_complaint": "Browser tier", "created_by_user_id": "browser-tier",
        "visit_address": {"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"},
        "requester": {"name": "Browser Tier", "phone": "303-555-0100", "relationship": "Facility staff"},
        "screening": {"questionnaire_version": "2024-1", "answers": {}, "outcome": "self_schedule",
                      "reason_codes": []},
    }
    if window:
        body["time_window"] = {"start": window["start"], "end": window["end"]}
    answer = requests.post(f"{system['station']}/v1/care-requests", json=body, timeout=10,
                           headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["id"]


# A dispatcher's next step for a request in each status (none that needs a reason), and how Express words the
# status it moves to.
NEXT = {"requested": ("accepted", "Accepted"), "pending_triage": ("requested", "Requested"),
        "accepted": ("scheduled", "Scheduled"), "scheduled": ("on_route", "On the way"),
        "on_route": ("on_scene", "With the patient"), "on_scene": ("complete", "Complete")}
# Requests the test can move twice (on the list, then on the request's page).
TWICE = [status for status, (to, _) in NEXT.items() if to in NEXT]


def dispatch(system, care_request, to):
    """Moves the request in Station as a dispatcher's tool would (with an arrival estimate when scheduling)."""
    body = {"to": to}
    if to == "scheduled":
        now = datetime.datetime.now(datetime.timezone.utc)
        body["eta"] = {"start": (now + datetime.timedelta(hours=1)).isoformat(),
                       "end": (now + datetime.timedelta(hours=2)).isoformat()}
    answer = requests.post(
        f"{system['station']}/v1/care-requests/{care_request}/status-changes",
        headers={"Authorization": f"Bearer {dispatcher_token(system)}"}, json=body, timeout=10)
    assert answer.status_code == 200, answer.text


def status_of(driver, care_request):
    """The row's status as shown, or None while there is no row (or it is being replaced by a live update)."""
    try:
        rows = driver.find_elements(By.CSS_SELECTOR, f"tr[data-live-id='{care_request}'] .status")
        return rows[0].text if rows else None
    except StaleElementReferenceException:
        return None


def test_11_a_dispatchers_change_shows_in_the_open_list_without_a_reload(browser, system):
    if not system.get("station") or not secrets_dir(system):
        pytest.skip("needs Station's URL and the deployment's secrets (E2E_STATION_URL, E2E_SECRETS_DIR)")
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("the list is open, with a request a dispatcher can move"):
        statuses = " or ".join(f"contains(@class, 'status-{key}')" for key in TWICE)
        row = b.driver.find_element(By.XPATH, f"//tbody/tr[@data-live-id][.//span[{statuses}]]")
        care_request = row.get_attribute("data-live-id")
        classes = row.find_element(By.CSS_SELECTOR, ".status").get_attribute("class").split()
        key = next(k for k in TWICE if f"status-{k}" in classes)
        to, wording = NEXT[key]
        # Marks this very document: a reload would lose it.
        b.driver.execute_script("window.liveTestMarker = 'still the same page';")
    with b.step(f"a dispatcher moves it to {to} in Station"):
        dispatch(system, care_request, to)
    with b.step(f"the row says {wording}, in place"):
        WebDriverWait(b.driver, 10, poll_frequency=0.2).until(lambda d: status_of(d, care_request) == wording)
        assert b.driver.execute_script("return window.liveTestMarker") == "still the same page"
        announcer = b.driver.find_element(By.CSS_SELECTOR, "[data-live-announcer]")
        WebDriverWait(b.driver, 5).until(lambda d: f"is now {wording}" in announcer.get_attribute("textContent"))
    with b.step("a reload shows the same"):
        b.driver.refresh()
        assert status_of(b.driver, care_request) == wording
    with b.step("on the request's own page, the next change shows too"):
        b.go(f"{system['express']}/care-requests/{care_request}")
        b.driver.execute_script("window.liveTestMarker = 'still the same page';")
        then, wording = NEXT[to]
        dispatch(system, care_request, then)
        WebDriverWait(b.driver, 10, poll_frequency=0.2, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: d.find_element(By.CSS_SELECTOR, ".live-section .page-head .status").text == wording)
        assert b.driver.execute_script("return window.liveTestMarker") == "still the same page"


@pytest.mark.scale_out
def test_12_a_new_request_appears_at_the_top_of_the_open_list_without_a_reload(browser, system):
    if not system.get("station") or not secrets_dir(system):
        pytest.skip("needs Station's URL and the deployment's secrets (E2E_STATION_URL, E2E_SECRETS_DIR)")
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("the first page of current requests is open"):
        b.go(f"{system['express']}/care-requests")
        headers = [th.text for th in b.driver.find_elements(By.CSS_SELECTOR, "thead th")]
        b.driver.execute_script("window.liveTestMarker = 'still the same page';")
    with b.step("a request is created for Sunrise in Station (as OSS would)"):
        care_request = create_for_sunrise(system)
    with b.step("its row appears first in the table, in place, and is announced"):
        WebDriverWait(b.driver, 10, poll_frequency=0.2).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, f"tbody > tr:first-child[data-live-id='{care_request}']"))
        assert b.driver.execute_script("return window.liveTestMarker") == "still the same page"
        assert status_of(b.driver, care_request) == "Requested"
        assert len(b.driver.find_elements(By.CSS_SELECTOR, f"tr[data-live-id='{care_request}']")) == 1
        assert [th.text for th in b.driver.find_elements(By.CSS_SELECTOR, "thead th")] == headers
        assert not b.driver.find_elements(By.CSS_SELECTOR, "[data-live-empty]")
        announcer = b.driver.find_element(By.CSS_SELECTOR, "[data-live-announcer]")
        WebDriverWait(b.driver, 5).until(lambda d: "New care request for" in announcer.get_attribute("textContent"))
    with b.step("a reload shows it too"):
        b.driver.refresh()
        assert status_of(b.driver, care_request) == "Requested"
