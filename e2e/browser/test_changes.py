"""Changing and cancelling a care request after it is made (issue 15), in real browsers against a real `selfsched
serve`: a scheduler moves a request to another window from Express (through OSS and back), keeps one and cancels
it; the demo patient cancels from My requests, and changes a time there; a viewer is offered neither and is refused
when trying by hand; once the care team is on the way nothing can be changed and the number to call is given."""
import uuid
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from changes_support import (csrf_of, form_of_button, option_window, patient_request, post_form, present, station_of,
                             wait_for_url, window_options)
from station_e2e import SUPPORT_PHONE, window_of
from test_scenarios import express_sign_in

DENVER_ZONE = ZoneInfo("America/Denver")


def clock(moment):
    """A moment's time of day in Denver as the pages word it: "9:00 AM"."""
    return moment.astimezone(DENVER_ZONE).strftime("%I:%M %p").lstrip("0")


def express_window(window):
    """A window as Express words it (Wording.window, without the zone): "Thu, Dec 3, 9:00 AM–11:00 AM"."""
    start = window[0].astimezone(DENVER_ZONE)
    return f"{start:%a, %b} {start.day}, {clock(window[0])}–{clock(window[1])}"


def fact(b, term):
    """The value of a definition list's term on the page ("Time window", "Status"…)."""
    return b.driver.find_element(By.XPATH, f"//dt[normalize-space()='{term}']/following-sibling::dd[1]").text


def open_express_request(b, system, care):
    b.go(f"{system['express']}/care-requests/{care}")
    assert "Status history" in b.text, b.text[:300]


def arrive_in_oss(b, system, care, intent):
    """Follows Express's handoff to OSS's page for changing this request (without a second password prompt)."""
    with b.step(f"OSS opens its {intent} page for the request"):
        wait_for_url(b, system["oss"])
        assert "Password" not in b.text, b.text[:300]
        if b.url.startswith(system["oss"] + "/partner/start"):
            b.press("Continue")
        wait_for_url(b, f"{system['oss']}/partner/requests/{care}/{intent}")


def choose_other_window(b, current):
    """Picks an offered window other than the current one; returns its (start, end)."""
    options = [(element, value) for element, value, _ in window_options(b) if option_window(value) != current]
    assert options, "no other window offered"
    element, value = options[min(2, len(options) - 1)]
    element.click()
    return option_window(value)


CHOICES = {"Change time": "reschedule", "Cancel": "cancel"}


def row_choices(b, care):
    """The change links My requests offers in the request's row: their words, each leading to its page."""
    row = b.driver.find_element(By.XPATH, f"//main//li[.//a[@href='/requests/{care}']]")
    links = [(a.text.strip(), a.get_attribute("href")) for a in row.find_elements(By.CSS_SELECTOR, "a")]
    return [choice for choice, page in CHOICES.items()
            if any(text.startswith(choice) and href.endswith(f"/requests/{care}/{page}") for text, href in links)]


def row_link(b, care, choice):
    return b.driver.find_element(
        By.CSS_SELECTOR, f"main li a[href$='/requests/{care}/{CHOICES[choice]}']")


def test_16_a_scheduler_moves_a_request_to_another_window_from_express(browser, system):
    station = station_of(system)
    b = browser
    first = station.free_windows(3, 5)[0]
    care = station.create_sunrise_request(first)
    current = window_of({"time_window": first})
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("the request's page offers Change time and Cancel request"):
        open_express_request(b, system, care)
        assert express_window(current) in fact(b, "Time window")
        assert b.has_button("Change time") and b.has_button("Cancel request")
        b.press("Change time")
    arrive_in_oss(b, system, care, "reschedule")
    with b.step("OSS shows the current window and offers the market's other windows"):
        assert clock(current[0]) in fact(b, "Visit time now"), fact(b, "Visit time now")
        chosen = choose_other_window(b, current)
        b.press("Continue")
    with b.step("confirm the new window"):
        assert "Move the visit to" in b.text, b.text[:500]
        b.press("Move the visit")
    with b.step("back in Express on the request's page, told where the visit moved"):
        wait_for_url(b, f"{system['express']}/care-requests/{care}")
        assert f"The visit is now {express_window(chosen)}" in b.text, b.text[:500]
        record = station.care_request(care)
        assert window_of(record) == chosen, (record.get("time_window"), chosen)
        assert record["calendar_sequence"] == 1 and record["changeable"] is True
        assert record["status"] in ("requested", "accepted"), record["status"]
    with b.step("the request's page shows the new window and that I moved it"):
        open_express_request(b, system, care)
        assert express_window(chosen) in fact(b, "Time window"), fact(b, "Time window")
        history = b.driver.find_element(By.CSS_SELECTOR, ".timeline").text
        moved = [line for line in history.splitlines() if "Rescheduled" in line]
        assert moved and "You" in moved[-1], history


@pytest.mark.links_demo_patient
def test_17_a_patient_cancels_from_my_requests(browser, system):
    station = station_of(system)
    b = browser
    care, _ = patient_request(b, system, window_index=4)
    with b.step("My requests offers Change time and Cancel for it"):
        b.link("My requests")
        assert row_choices(b, care) == ["Change time", "Cancel"]
        row_link(b, care, "Cancel").click()
        wait_for_url(b, f"{system['oss']}/requests/{care}/cancel")
    with b.step("the cancel page asks for a reason"):
        assert "Why is the visit cancelled?" in b.text
        b.press("Continue")
        assert b.url.startswith(f"{system['oss']}/requests/{care}/cancel"), b.url
        assert present(b, "#reason-error"), b.text[:500]
        assert station.care_request(care)["status"] != "archived"
    with b.step("choose a reason and confirm"):
        b.driver.find_element(By.XPATH, "//label[contains(normalize-space(), 'The visit is no longer needed')]").click()
        b.press("Continue")
        assert "Cancel this visit?" in b.text, b.text[:500]
        b.press("Cancel the visit")
        wait_for_url(b, f"{system['oss']}/requests/{care}?changed=cancelled")
        assert "cancelled" in b.text.lower(), b.text[:500]
    with b.step("Station has it cancelled, for the reason given"):
        record = station.care_request(care)
        assert record["status"] == "archived", record["status"]
        assert record["cancellation"]["reason"] == "no_longer_needed", record.get("cancellation")
        assert record["calendar_sequence"] == 1 and record["changeable"] is False
    with b.step("My requests no longer offers to change it"):
        b.link("My requests")
        assert row_choices(b, care) == []
    with b.step("another's request cannot be cancelled by URL"):
        other = station.create_sunrise_request(station.free_windows(3, 5)[1])
        b.go(f"{system['oss']}/requests/{other}/cancel")
        assert not present(b, "input[name=reason]"), "a Sunrise request's cancel page opened for a patient"
        assert station.care_request(other)["status"] == "requested"


def test_18_a_viewer_sees_neither_button_and_is_refused_by_hand(browser, second_browser, system):
    station = station_of(system)
    b, scheduler = browser, second_browser
    window = station.free_windows(3, 5)[1]
    care = station.create_sunrise_request(window)
    express_sign_in(scheduler, system, "scheduler@sunrise.example")
    with scheduler.step("the scheduler's page has the change forms (what a viewer would send by hand)"):
        open_express_request(scheduler, system, care)
        forms = {label: form_of_button(scheduler, label) for label in ["Change time", "Cancel request"]}
    with scheduler.step("the scheduler's Change time leads to OSS with a handoff link"):
        scheduler.press("Change time")
        wait_for_url(scheduler, system["oss"] + "/partner/start")
        handoff_link = scheduler.url
    express_sign_in(b, system, "viewer@sunrise.example")
    with b.step("the viewer reads the request but sees neither button"):
        open_express_request(b, system, care)
        assert express_window(window_of({"time_window": window})) in fact(b, "Time window")
        assert not b.has_button("Change time") and not b.has_button("Cancel request")
    for label, (action, fields) in forms.items():
        with b.step(f"the viewer's own POST of {label} is refused"):
            status, _, page = post_form(b, action, {**fields, "csrf": csrf_of(b)})
            assert status == 403, (status, page[:500])
    with b.step("the refusal is a clear page"):
        before = b.url
        b.mark()
        b.driver.execute_script(
            "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
            "for (const [k, v] of Object.entries(arguments[1])) { const i = document.createElement('input');"
            "i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); } document.body.appendChild(f); f.submit();",
            forms["Change time"][0], {**forms["Change time"][1], "csrf": csrf_of(b)})
        b.settle(before)
        assert b.url.startswith(system["express"]), b.url
        assert "cannot" in b.text.lower(), b.text[:500]
    with b.step("OSS's change pages refuse the viewer by URL"):
        for intent in ["reschedule", "cancel"]:
            b.go(f"{system['oss']}/partner/requests/{care}/{intent}")
            b.settle()
            assert "You cannot change this request" in b.text, (intent, b.text[:500])
            assert not present(b, "input[name=window]") and not present(b, "input[name=reason]"), (intent, b.url)
    with b.step("the scheduler's handoff link does not open the change for the viewer"):
        b.go(handoff_link)
        b.settle()
        if b.has_button("Continue"):
            b.press("Continue")
        assert f"/requests/{care}/reschedule" not in b.url, b.url
        assert not present(b, "input[name=window]"), b.text[:500]
    with b.step("nothing changed in Station"):
        record = station.care_request(care)
        assert record["status"] == "requested" and record["calendar_sequence"] == 0
        assert window_of(record) == window_of({"time_window": window})


def test_19_a_request_on_the_way_cannot_be_changed(browser, system):
    station = station_of(system)
    b = browser
    windows = station.free_windows(3, 5)
    started = station.create_sunrise_request(windows[0])
    station.move_on_route(started)
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("Express offers no change and says to call, with the number"):
        open_express_request(b, system, started)
        assert not b.has_button("Change time") and not b.has_button("Cancel request")
        assert "This visit has started" in b.text and SUPPORT_PHONE in b.text, b.text[:800]
    racing = station.create_sunrise_request(windows[1])
    with b.step("the change page is open in OSS when the care team sets out"):
        open_express_request(b, system, racing)
        b.press("Change time")
    arrive_in_oss(b, system, racing, "reschedule")
    current = window_of(station.care_request(racing))
    station.move_on_route(racing)
    with b.step("OSS refuses the change, with the number to call"):
        choose_other_window(b, current)
        b.press("Continue")
        if b.has_button("Move the visit"):
            b.press("Move the visit")
        assert "This visit has started" in b.text and SUPPORT_PHONE in b.text, b.text[:800]
    with b.step("nothing changed in Station"):
        record = station.care_request(racing)
        assert record["status"] == "on_route" and record["calendar_sequence"] == 0
        assert window_of(record) == current
    with b.step("Station itself refuses a change of a request on the way, naming the number"):
        answer = station.call("POST", f"/v1/care-requests/{started}/cancellation",
                              {"reason": "other", "partner_id": station.care_request(started)["partner_id"]},
                              key=str(uuid.uuid4()))
        assert answer.status_code == 409, answer.text
        problem = answer.json()
        assert problem["type"].endswith("/problems/change-closed") and problem["support_phone"] == SUPPORT_PHONE


def test_20_a_cancelled_request_says_so_in_express(browser, system):
    """After a cancellation (here as OSS asks Station for it), Express's page says so and offers no change."""
    station = station_of(system)
    b = browser
    care = station.create_sunrise_request(station.free_windows(3, 5)[0])
    station.cancel(care, reason="hospitalized", partner_id=station.care_request(care)["partner_id"])
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("the page shows it cancelled, with no change offered"):
        open_express_request(b, system, care)
        assert not b.has_button("Change time") and not b.has_button("Cancel request")
        assert "cancelled" in b.text.lower(), b.text[:800]


@pytest.mark.scale_out
def test_21_a_scheduler_keeps_then_cancels_a_request_from_express(browser, system):
    """Express → OSS → Express for a cancellation: "Keep it as it is" changes nothing; a cancellation needs a reason,
    is confirmed, and is recorded as the scheduler's; sending the confirmation again changes nothing more."""
    station = station_of(system)
    b = browser
    care = station.create_sunrise_request(station.free_windows(3, 5)[0])
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("Cancel request hands off to OSS"):
        open_express_request(b, system, care)
        b.press("Cancel request")
    arrive_in_oss(b, system, care, "cancel")
    with b.step("Keep it as it is: back in Express, nothing changed"):
        b.link("Keep it as it is")
        wait_for_url(b, f"{system['express']}/care-requests/{care}")
        assert "Nothing was changed." in b.text, b.text[:500]
        record = station.care_request(care)
        assert record["status"] == "requested" and record["calendar_sequence"] == 0
    with b.step("Cancel request again; the reason is required"):
        b.press("Cancel request")
    arrive_in_oss(b, system, care, "cancel")
    with b.step("a reason is required"):
        b.press("Continue")
        assert present(b, "#reason-error"), b.text[:500]
    with b.step("choose a reason, with a note, and confirm"):
        b.driver.find_element(By.XPATH, "//label[contains(normalize-space(), 'The patient went to the hospital')]").click()
        b.fill("Anything the care team should know (optional)", "Admitted overnight")
        b.press("Continue")
        assert "Cancel this visit?" in b.text and "The patient went to the hospital" in b.text, b.text[:500]
        confirm = b.url
        b.press("Cancel the visit")
    with b.step("back in Express: cancelled, by me, with no change offered"):
        wait_for_url(b, f"{system['express']}/care-requests/{care}")
        assert "The care request was cancelled." in b.text, b.text[:500]
        assert not b.has_button("Change time") and not b.has_button("Cancel request")
        record = station.care_request(care)
        assert record["status"] == "archived" and record["calendar_sequence"] == 1, record
        assert record["cancellation"]["reason"] == "hospitalized", record["cancellation"]
        history = b.driver.find_element(By.CSS_SELECTOR, ".timeline").text
        cancelled = [line for line in history.splitlines() if "Cancelled" in line]
        assert cancelled and "You" in cancelled[-1], history
    with b.step("the confirmation sent again changes nothing more"):
        b.go(confirm)
        assert "This request has ended" in b.text, b.text[:500]
        status, _, page = post_form(b, confirm, {"csrf": csrf_of(b)})
        assert status in (0, 200, 303, 409), (status, page[:500])  # 0: a redirect, not followed
        record = station.care_request(care)
        assert record["status"] == "archived" and record["calendar_sequence"] == 1, record
        assert len([step for step in record["status_history"] if step["to"] == "archived"]) == 1, record


@pytest.mark.links_demo_patient
@pytest.mark.scale_out
def test_25_a_patient_changes_the_time_from_my_requests(browser, system):
    station = station_of(system)
    b = browser
    care, _ = patient_request(b, system, window_index=6)
    current = window_of(station.care_request(care))
    with b.step("My requests: Change time"):
        b.link("My requests")
        row_link(b, care, "Change time").click()
        wait_for_url(b, f"{system['oss']}/requests/{care}/reschedule")
    with b.step("the current window is shown; choose another"):
        assert clock(current[0]) in fact(b, "Visit time now"), fact(b, "Visit time now")
        chosen = choose_other_window(b, current)
        b.press("Continue")
    with b.step("confirm"):
        assert "Move the visit to" in b.text, b.text[:500]
        b.press("Move the visit")
        wait_for_url(b, f"{system['oss']}/requests/{care}?changed=rescheduled")
    with b.step("the request shows the new window; Station has it, one change later"):
        assert clock(chosen[0]) in fact(b, "Time window"), fact(b, "Time window")
        record = station.care_request(care)
        assert window_of(record) == chosen and record["calendar_sequence"] == 1, record.get("time_window")
        assert record["changeable"] is True
