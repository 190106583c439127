"""Console (issue 13) in real browsers: the provider's staff close the loop that partners start in Express, and the
partner's open Express page shows what they did without a reload. A nurse schedules a request that screening sent
to triage; a dispatcher moves a request to "on the way" with an arrival estimate; an operations admin onboards a
new partner in a new market, whose invited admin sets a password and schedules its first request there; a
dispatcher accepts the day's proposed routes and the partner's open page shows the arrival estimate (issue 21)."""
import datetime
import secrets
import time
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_live_updates import create_for_sunrise, dispatcher_token, secrets_dir, status_of
from selfsched_e2e import replaced
from test_scenarios import continue_in_oss, express_sign_in, finish_steps

LIVE_SECONDS = 10  # the issue asks for two seconds; the wait only bounds a failure


class live_wait:
    """Waits for a live update; an element replaced while it is read (``replaced``) is read again."""

    def __init__(self, b):
        self.wait = WebDriverWait(b.driver, LIVE_SECONDS, poll_frequency=0.2)

    def until(self, condition):
        def again_if_replaced(driver):
            try:
                return condition(driver)
            except WebDriverException as error:
                if replaced(error):
                    return False
                raise

        return self.wait.until(again_if_replaced)


def console_url(system):
    if not system.get("console"):
        pytest.skip("Console is not running (a binary without it, or E2E_CONSOLE_URL unset)")
    return system["console"]


def staff_sign_in(b, system, email):
    with b.step(f"sign in to Console as {email}"):
        b.console_sign_in(console_url(system), email)


def same_document(b):
    """Marks the open document; `still_same_document` then proves no reload happened."""
    b.driver.execute_script("window.liveTestMarker = 'still the same page';")


def still_same_document(b):
    return b.driver.execute_script("return window.liveTestMarker") == "still the same page"


def patient_details(b, first, last, *, born="1948-07-09", phone="303-555-0142"):
    b.fill("First name", first)
    b.fill("Last name", last)
    b.fill("Date of birth (YYYY-MM-DD)", born)
    b.choose("Sex", "Female")
    b.fill("Phone", phone)


def request_for_triage(b, system, last_name):
    """The nurse-triage scenario's request (a new patient with new confusion, so screening sends it to a nurse),
    made by Sunrise's scheduler; the Express list stays open on it. Returns its id."""
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("start a request that screening sends to a nurse"):
        b.link("New care request")
        b.press("Start for a new patient")
    continue_in_oss(b, system)
    with b.step("patient details"):
        patient_details(b, "Tess", last_name)
    finish_steps(b, symptom="New confusion", skip_window=True)
    with b.step("waiting for a nurse in Express"):
        # The open list may replace the row by a live update while it is read: read it again until it says so.
        def waiting(driver):
            row = driver.find_element(By.XPATH, f"//tbody/tr[@data-live-id][contains(., '{last_name}')]")
            return row.get_attribute("data-live-id") if "Waiting for a nurse" in row.text else False

        return WebDriverWait(b.driver, 15, ignored_exceptions=[StaleElementReferenceException]).until(waiting)


@pytest.mark.scale_out
def test_13_a_nurse_schedules_a_triage_request_and_the_partner_list_shows_it(browser, second_browser, system):
    console = console_url(system)
    b, nurse = browser, second_browser
    last_name = "Triage" + secrets.token_hex(3)
    care_request = request_for_triage(b, system, last_name)
    same_document(b)
    staff_sign_in(nurse, system, "nurse@example.com")
    with nurse.step("the request is in the triage queue"):
        nurse.go(console + "/triage")
        row = nurse.driver.find_element(By.CSS_SELECTOR, f"tr[data-live-id='{care_request}']")
        assert f"Tess {last_name}" in row.text and "Free to call" in row.text, row.text
    with nurse.step("its detail shows the screening record and the number to call"):
        nurse.click(row.find_element(By.CSS_SELECTOR, "a"))
        assert nurse.url == f"{console}/triage/{care_request}", nurse.url
        for fact in ["Screening", "Questionnaire", "Who to call", "303-555-0100", "Sunrise"]:
            assert fact in nurse.text, fact
        assert nurse.driver.find_elements(By.CSS_SELECTOR, "a[href^='tel:']")
    with nurse.step("I'm calling claims it"):
        nurse.press("I’m calling")
        assert "You are calling" in nurse.text
    with nurse.step("schedule it into a window with a note"):
        select = nurse.field("Time window")
        option = next(o for o in select.find_elements(By.TAG_NAME, "option") if o.get_attribute("value"))
        window = option.text.split(" (")[0]
        option.click()
        nurse.driver.find_element(By.ID, "schedule-note").send_keys("Spoke with the daughter; a visit today is fine.")
        nurse.press("Schedule")
        assert f"Scheduled for {window}" in nurse.text, nurse.text
        assert not nurse.driver.find_elements(By.CSS_SELECTOR, f"tr[data-live-id='{care_request}'] a"), \
            "a scheduled request left the queue"
    with b.step("the partner's open list says Requested with the nurse's window, without a reload"):
        live_wait(b).until(
            lambda d: status_of(d, care_request) == "Requested" and window in (visit_of(d, care_request) or ""))
        assert still_same_document(b)
    with b.step("a reload shows the same"):
        b.driver.refresh()
        assert status_of(b.driver, care_request) == "Requested"
        assert window in visit_of(b.driver, care_request), visit_of(b.driver, care_request)
    with b.step("the request's own page shows the nurse's window"):
        b.click(b.driver.find_element(By.CSS_SELECTOR, f"tr[data-live-id='{care_request}'] a"))
        assert window in b.text, (window, b.text)
        assert "Not chosen yet" not in b.text




def visit_of(driver, care_request):
    """The row's Visit cell (the window, or the arrival estimate) as shown; None while it is being replaced."""
    try:
        cells = driver.find_elements(By.CSS_SELECTOR, f"tr[data-live-id='{care_request}'] td[data-label='Visit']")
        return cells[0].text if cells else None
    except WebDriverException as error:
        if replaced(error):
            return None
        raise


def board_item(b, care_request):
    found = b.driver.find_elements(By.ID, f"request-{care_request}")
    return found[0] if found else None


def settled(action, attempts=25):
    """Runs `action` again while the board's live refresh replaces the elements it reads."""
    for _ in range(attempts - 1):
        try:
            return action()
        except WebDriverException as error:
            if not replaced(error):
                raise
            time.sleep(0.2)
    return action()


def move(b, care_request, label, status):
    """Presses a move button of the request's item on the board and waits until the item's status says `status` (or
    it shows an error); returns the item's text."""
    settled(lambda: board_item(b, care_request).find_element(
        By.XPATH, f".//button[normalize-space(text())={label!r}]").click())
    return moved(b, care_request, status)


def moved(b, care_request, status, showing=""):
    def read(d):
        item = board_item(b, care_request)
        if item is None:
            return None
        errors = [e.text for e in item.find_elements(By.CSS_SELECTOR, ".field-error")]
        now = item.find_element(By.CSS_SELECTOR, ".status").text
        return (item.text, errors) if errors or (now == status and showing in item.text) else None

    text, errors = live_wait(b).until(read)
    assert not errors, errors
    return text


@pytest.mark.scale_out
def test_14_a_dispatcher_moves_a_request_on_the_way_and_the_partner_page_shows_it(browser, second_browser, system):
    console = console_url(system)
    if not system.get("station") or not secrets_dir(system):
        pytest.skip("needs Station's URL and the deployment's secrets (E2E_STATION_URL, E2E_SECRETS_DIR)")
    dispatcher, partner = browser, second_browser
    staff_sign_in(dispatcher, system, "dispatcher@example.com")
    with dispatcher.step("the Denver board of today is open"):
        assert dispatcher.url.startswith(console + "/board"), dispatcher.url
        dispatcher.choose("Market", "Denver")
        dispatcher.press("Show")
        assert "Denver" in dispatcher.text
        same_document(dispatcher)
    with dispatcher.step("a request made for Sunrise in Station (as OSS would) appears without a reload"):
        care_request = create_for_sunrise(system)
        live_wait(dispatcher).until(lambda d: board_item(dispatcher, care_request) is not None)
        assert still_same_document(dispatcher)
        assert "Requested" in settled(lambda: board_item(dispatcher, care_request).text)
    express_sign_in(partner, system, "scheduler@sunrise.example")
    with partner.step("the partner has the request's page open"):
        partner.go(f"{system['express']}/care-requests/{care_request}")
        assert "Not scheduled yet" in partner.text
        same_document(partner)
    with dispatcher.step("accept"):
        move(dispatcher, care_request, "Accept", "Accepted")
    with dispatcher.step("schedule with an arrival estimate"):
        day = datetime.datetime.now(ZoneInfo("America/Denver")).date().isoformat()
        # One script, so a live refresh of the board cannot come between the fields and the press.
        dispatcher.driver.execute_script(
            "const id = arguments[0];"
            "document.getElementById('eta-date-' + id).value = arguments[1];"
            "document.getElementById('eta-start-' + id).value = '10:00';"
            "document.getElementById('eta-end-' + id).value = '12:00';"
            "document.getElementById('eta-date-' + id).form.requestSubmit();", care_request, day)
        moved(dispatcher, care_request, "Scheduled", showing="arriving 10:00–12:00")
    with dispatcher.step("on the way"):
        move(dispatcher, care_request, "On the way", "On the way")
    with partner.step("the partner's open page says On the way with the estimate, without a reload"):
        live_wait(partner).until(
            lambda d: d.find_element(By.CSS_SELECTOR, ".live-section .page-head .status").text == "On the way")
        live_wait(partner).until(
            lambda d: "Not scheduled yet" not in d.find_element(By.CSS_SELECTOR, ".live-section").text)
        assert "10:00 AM–12:00 PM" in partner.text, partner.text
        assert still_same_document(partner)
    with partner.step("a reload shows the same"):
        partner.driver.refresh()
        assert partner.driver.find_element(By.CSS_SELECTOR, ".live-section .page-head .status").text == "On the way"
        assert "10:00 AM–12:00 PM" in partner.text


def checked(b, label_text):
    """Ticks the box of this label unless the form ticked it already."""
    box = b.driver.find_element(By.XPATH, f"//label[contains(normalize-space(), '{label_text}')]/input")
    if not box.is_selected():
        box.click()


def test_15_an_operations_admin_onboards_a_partner_whose_admin_schedules_there(browser, second_browser, system):
    console = console_url(system)
    ops, admin = browser, second_browser
    suffix = secrets.token_hex(2)
    market_name = f"Alpine Valley {suffix}"
    zip_code = f"816{int(suffix, 16) % 100:02d}"
    admin_email = f"admin-{suffix}@alpine.example"
    password = "alpine-" + secrets.token_hex(8)
    staff_sign_in(ops, system, "ops@example.com")
    with ops.step("create a market with a new ZIP code"):
        assert ops.url.startswith(console + "/admin/partners"), ops.url
        ops.link("Markets")
        ops.link("New market")
        for label, value in {"Name": market_name, "State": "CO", "Time zone": "America/Denver",
                             "ZIP codes served": zip_code, "Opens at": "06:00", "Closes at": "22:00",
                             "Window length (minutes)": "120", "Places per window": "4"}.items():
            ops.fill(label, value)
        ops.press("Create market")
        assert f"{market_name} was created" in ops.text, ops.text
    with ops.step("the market is listed with its ZIP code"):
        ops.link("Markets")
        row = ops.driver.find_element(By.XPATH, f"//tbody/tr[contains(., '{market_name}')]")
        assert zip_code in row.text and "America/Denver" in row.text, row.text
    with ops.step("create Alpine Assisted Living in that market, with both phases and its first admin"):
        ops.link("Partners")
        ops.link("New partner")
        ops.fill("Name", "Alpine Assisted Living")
        ops.fill("Slug", f"alpine-assisted-living-{suffix}")
        for box in [f"{market_name}, CO", "Phase 1: care requests from Station", "Phase 2: online scheduling in OSS"]:
            checked(ops, box)
        ops.fill("Email", admin_email)
        ops.driver.find_element(By.ID, "admin_name").send_keys("Alba Admin")
        ops.press("Create partner")
        assert "Alpine Assisted Living is ready" in ops.text, ops.text
    with ops.step("the one-time set-password link is shown"):
        link = ops.driver.find_element(By.CSS_SELECTOR, "main code.copy").text.strip()
        assert "/set-password?" in link, link
    with ops.step("the partner is listed with its market, set up in Express"):
        ops.link("Back to partners")
        row = ops.driver.find_element(By.XPATH, "//tbody/tr[contains(., 'Alpine Assisted Living')]")
        assert market_name in row.text and "Set up" in row.text, row.text
    with admin.step("the invited admin sets a password"):
        admin.go(link)
        admin.fill("New password (at least 12 characters)", password)
        admin.fill("Repeat the password", password)
        admin.press("Set password")
        assert "Your password is set" in admin.text, admin.text
    with admin.step("signs in to Express"):
        admin.go(system["express"] + "/")
        admin.sign_in(admin_email, password)
        assert admin.url.startswith(system["express"] + "/care-requests"), admin.url
        assert "Alpine Assisted Living" in admin.text
    with admin.step("starts the first request, for a new patient"):
        admin.link("New care request")
        admin.press("Start for a new patient")
    continue_in_oss(admin, system)
    with admin.step("patient"):
        patient_details(admin, "Arlo", "Alpine" + suffix, born="1939-03-14", phone="970-555-0131")
    finish_steps(admin, address={"Street address": "1 Aspen Way", "City": "Aspen", "State": "CO",
                                 "ZIP code": zip_code})
    with admin.step("back in Express, the partner's first request, in the new market"):
        assert "Your care request was created." in admin.text, admin.text
        rows = admin.rows()
        assert len(rows) == 1 and f"Arlo Alpine{suffix}" in rows[0] and market_name in rows[0], rows


DENVER = "3a7e0000-0000-4000-8000-000000000001"


def twelve_hour(clock):
    """'08:05' as Express words a time: '8:05 AM'."""
    return datetime.datetime.strptime(clock, "%H:%M").strftime("%-I:%M %p")


def bookable_window(system):
    """A window with places on a Denver weekday a few days ahead (when the demo care teams work), and its day."""
    headers = {"Authorization": f"Bearer {dispatcher_token(system)}"}
    today = datetime.datetime.now(ZoneInfo("America/Denver")).date()
    for ahead in range(3, 12):
        day = today + datetime.timedelta(days=ahead)
        if day.weekday() >= 5:
            continue
        answer = requests.get(f"{system['station']}/v1/markets/{DENVER}/availability",
                              params={"from": day.isoformat(), "to": day.isoformat()}, headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
        for window in answer.json():
            if window["remaining"] > 0:
                return day.isoformat(), window
    pytest.fail("no Denver weekday window with places in the next days")


def test_21_a_dispatcher_accepts_the_plan_and_the_partner_page_shows_the_estimate(browser, second_browser, system):
    console = console_url(system)
    if not system.get("station") or not secrets_dir(system):
        pytest.skip("needs Station's URL and the deployment's secrets (E2E_STATION_URL, E2E_SECRETS_DIR)")
    dispatcher, partner = browser, second_browser
    day, window = bookable_window(system)
    care_request = create_for_sunrise(system, window)
    express_sign_in(partner, system, "scheduler@sunrise.example")
    with partner.step("the partner has the booked request's page open, not scheduled yet"):
        partner.go(f"{system['express']}/care-requests/{care_request}")
        assert "Not scheduled yet" in partner.text
        same_document(partner)
    staff_sign_in(dispatcher, system, "dispatcher@example.com")
    with dispatcher.step("the day's proposed routes plan the request, with its arrival estimate"):
        dispatcher.go(f"{console}/board/plan?market={DENVER}&date={day}")
        assert "Proposed routes" in dispatcher.text
        row = dispatcher.driver.find_element(By.ID, f"stop-{care_request}")
        cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        assert cells[4] == "Requested", cells
        start, end = cells[6].split("–")
    with dispatcher.step("accept the plan"):
        dispatcher.press("Accept the plan and set estimates")
        assert "Plan accepted:" in dispatcher.text, dispatcher.text
        row = dispatcher.driver.find_element(By.ID, f"stop-{care_request}")
        assert row.find_elements(By.TAG_NAME, "td")[4].text == "Scheduled"
    estimate = f"{twelve_hour(start)}–{twelve_hour(end)}"
    with partner.step(f"the partner's open page says Scheduled, arriving {estimate}, without a reload"):
        live_wait(partner).until(
            lambda d: d.find_element(By.CSS_SELECTOR, ".live-section .page-head .status").text == "Scheduled")
        live_wait(partner).until(lambda d: estimate in d.find_element(By.CSS_SELECTOR, ".live-section").text)
        assert still_same_document(partner)
    with partner.step("a reload shows the same"):
        partner.driver.refresh()
        assert estimate in partner.text, partner.text
    # Moving a stop: a team without the visit's service line is refused, saying why; pinning it to its own team keeps
    # it there, marked Pinned.
    lacking = {"Acute care": "Denver Bridge", "Bridge care after discharge": "Denver Late", "Advanced care": "Denver Early"}
    row = dispatcher.driver.find_element(By.ID, f"stop-{care_request}")
    service_line = row.find_elements(By.TAG_NAME, "td")[2].text
    own_team = row.find_element(By.XPATH, "ancestor::section/h3").text.split(" ·")[0].strip()
    with dispatcher.step(f"move the stop to {lacking[service_line]}, which does not deliver {service_line}: refused"):
        Select(dispatcher.driver.find_element(By.ID, f"team-{care_request}")).select_by_visible_text(
            lacking[service_line])
        dispatcher.click(row.find_element(By.XPATH, ".//button[starts-with(normalize-space(.), 'Move')]"))
        alert = dispatcher.driver.find_element(By.ID, "plan-alert").text
        assert "does not deliver this visit's service line. Nothing was changed." in alert, alert
        row = dispatcher.driver.find_element(By.ID, f"stop-{care_request}")
        assert "Pinned" not in row.text
    with dispatcher.step(f"pin the stop to {own_team}, the team that has it"):
        Select(dispatcher.driver.find_element(By.ID, f"team-{care_request}")).select_by_visible_text(own_team)
        dispatcher.click(row.find_element(By.XPATH, ".//button[starts-with(normalize-space(.), 'Move')]"))
        assert "The visit is pinned to the team you chose" in dispatcher.text, dispatcher.text
        row = dispatcher.driver.find_element(By.ID, f"stop-{care_request}")
        assert "Pinned" in row.text
        assert row.find_element(By.XPATH, "ancestor::section/h3").text.startswith(own_team)
