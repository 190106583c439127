"""What the change, cancel and calendar scenarios (issue 15) share in the browser tier: Station as OSS reaches it
(e2e/station_e2e.py), a patient's request made through OSS, and what a page offers or sends, read or sent by the
browser itself (its own session and cookies)."""
import json
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from station_e2e import Station, instant
from test_live_updates import secrets_dir
from test_scenarios import finish_steps

WAIT = 15  # bounds a wait for a page or a redirect; never an assertion about speed


def station_of(system):
    """Station for this run (skips when the run has neither Station's URL nor the deployment's secrets)."""
    if not system.get("station") or not secrets_dir(system):
        pytest.skip("needs Station's URL and the deployment's secrets (E2E_STATION_URL, E2E_SECRETS_DIR)")
    secrets = json.loads((Path(secrets_dir(system)) / "secrets.json").read_text())
    return Station(system["station"], system["identity"], secrets)


def wait_for_url(b, prefix, timeout=WAIT):
    WebDriverWait(b.driver, timeout, poll_frequency=0.2).until(lambda d: d.current_url.startswith(prefix))
    b.settle()


def fetch(b, path):
    """GETs `path` from the page's own origin with the browser's session: (status, headers, text)."""
    result = b.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin', redirect: 'manual'})
          .then(r => r.text().then(t => done([r.status, Object.fromEntries(r.headers.entries()), t])))
          .catch(e => done([0, {}, String(e)]));""", path)
    return result[0], {k.lower(): v for k, v in result[1].items()}, result[2]


def post_form(b, action, fields):
    """POSTs a form by hand from the page's origin with the browser's session (no redirect followed; a redirect
    answers status 0): (status, headers, text)."""
    result = b.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {method: 'POST', credentials: 'same-origin', redirect: 'manual',
                             body: new URLSearchParams(arguments[1])})
          .then(r => r.text().then(t => done([r.status, Object.fromEntries(r.headers.entries()), t])))
          .catch(e => done([0, {}, String(e)]));""", action, fields)
    return result[0], {k.lower(): v for k, v in result[1].items()}, result[2]


def form_of_button(b, label):
    """The action and fields (csrf left out) of the form whose submit button reads `label`."""
    button = b.driver.find_element(By.XPATH, f"//form//button[normalize-space()='{label}']")
    form = button.find_element(By.XPATH, "ancestor::form")
    fields = {i.get_attribute("name"): i.get_attribute("value")
              for i in form.find_elements(By.CSS_SELECTOR, "input[name]")
              if i.get_attribute("name") != "csrf" and (i.get_attribute("type") not in ("checkbox", "radio")
                                                         or i.is_selected())}
    if button.get_attribute("name"):
        fields[button.get_attribute("name")] = button.get_attribute("value") or ""
    return form.get_attribute("action"), fields


def csrf_of(b):
    inputs = b.driver.find_elements(By.CSS_SELECTOR, "input[name=csrf]")
    assert inputs, "no form with a CSRF token on this page"
    return inputs[0].get_attribute("value")


def present(b, css):
    """Whether the page has an element matching `css`, without the driver's implicit wait."""
    b.driver.implicitly_wait(0)
    try:
        return bool(b.driver.find_elements(By.CSS_SELECTOR, css))
    finally:
        b.driver.implicitly_wait(5)


def window_options(b):
    """The offered windows' radio buttons: (element, value, label without the places left)."""
    options = []
    for option in b.driver.find_elements(By.CSS_SELECTOR, "input[name=window]"):
        label = option.find_element(By.XPATH, "..").text.split(" (")[0].strip()
        options.append((option, option.get_attribute("value"), label))
    return options


def option_window(value):
    """An OSS window option's value (start|end, ISO 8601) as instants."""
    start, end = value.split("|")
    return instant(start), instant(end)


def patient_request(b, system, window_index=0):
    """The demo patient signs in at OSS and requests a visit in a window; returns (care request id, window label).
    The account's first request links it to its patient, whose details later requests do not ask for again."""
    with b.step("sign in at OSS as the demo patient"):
        b.go(system["oss"] + "/")
        if "Password" in b.text:
            b.sign_in("patient@example.com")
        b.schedule_for_myself()
        assert "Request a home visit" in b.text
    with b.step("start a request"):
        b.press("Start a new request")
    with b.step("patient details, unless the account knows them"):
        if present(b, "#given_name"):
            b.fill("First name", "Pat")
            b.fill("Last name", "Patient")
            b.fill("Date of birth (YYYY-MM-DD)", "1960-06-06")
            b.choose("Sex", "Other")
            b.fill("Phone", "303-555-0123")
    window = finish_steps(b, window_index=window_index)
    with b.step("confirmation"):
        assert "Your request is in" in b.text
        found = re.search(r"/requests/([0-9a-f-]{36})", b.url)
        assert found, b.url
        return found.group(1), window
