"""Add to calendar (issue 15): the visit's `.ics` downloaded from Express's request page and from OSS's, read with a
third-party iCalendar library (`icalendar` from PyPI), across create → reschedule → cancel: the same UID every time,
a SEQUENCE that rises with each change, METHOD:CANCEL at the end, the window as Station has it, and no health
information in the file."""
import pytest
from icalendar import Calendar
from selenium.webdriver.common.by import By

from changes_support import fetch, patient_request, station_of
from station_e2e import instant
from test_scenarios import express_sign_in

# What the requests below carry that a calendar file must never show: the patients' names, the complaint, the
# address, the phone numbers.
PRIVATE = ["Whitfield", "Eleanor", "Pat Patient", "Browser tier", "Cough", "Larimer", "555-01", "Medicare"]


def download(b, path):
    """The calendar file as the signed-in browser gets it, checked as a download, parsed with `icalendar`."""
    status, headers, text = fetch(b, path)
    assert status == 200, (path, status, text[:300])
    assert headers.get("content-type", "").startswith("text/calendar"), headers
    assert "attachment" in headers.get("content-disposition", ""), headers
    assert "no-store" in headers.get("cache-control", ""), headers
    for private in PRIVATE:
        assert private.lower() not in text.lower(), f"{private!r} in the calendar file:\n{text}"
    calendar = Calendar.from_ical(text)
    events = [part for part in calendar.walk("VEVENT")]
    assert len(events) == 1, text
    return calendar, events[0], text


def check(calendar, event, care, window, sequence, cancelled):
    assert str(calendar["METHOD"]) == ("CANCEL" if cancelled else "PUBLISH"), calendar.to_ical()
    assert str(event["UID"]) == f"care-request-{care}@selfscheduling.example", event["UID"]
    assert int(event["SEQUENCE"]) == sequence, (event["SEQUENCE"], sequence)
    assert event.decoded("DTSTART") == instant(window["start"]), (event.decoded("DTSTART"), window)
    assert event.decoded("DTEND") == instant(window["end"]), (event.decoded("DTEND"), window)
    assert str(event["STATUS"]) == ("CANCELLED" if cancelled else "CONFIRMED"), event["STATUS"]


def lifecycle(b, station, care, path, scope):
    """Downloads the file after the request is made, after Station moves it and after Station cancels it (as OSS
    asks Station to), checking each; the sequence Station reports is the one in the file."""
    first, second = station.care_request(care)["time_window"], None
    with b.step("the file of the new request"):
        calendar, event, _ = download(b, path)
        check(calendar, event, care, first, 0, cancelled=False)
    with b.step("after a reschedule: the same UID, a higher SEQUENCE, the new window"):
        windows = [w for w in station.free_windows(4, 6) if instant(w["start"]) != instant(first["start"])]
        second = windows[len(windows) // 2]
        moved = station.reschedule(care, second, **scope)
        calendar, event, _ = download(b, path)
        check(calendar, event, care, second, moved["calendar_sequence"], cancelled=False)
        assert moved["calendar_sequence"] == 1
    with b.step("after a cancellation: METHOD:CANCEL, the same UID, a higher SEQUENCE still"):
        cancelled = station.cancel(care, **scope)
        calendar, event, _ = download(b, path)
        check(calendar, event, care, second, cancelled["calendar_sequence"], cancelled=True)
        assert cancelled["calendar_sequence"] == 2


def test_22_express_calendar_file_follows_the_request(browser, second_browser, system):
    station = station_of(system)
    b = browser
    care = station.create_sunrise_request(station.free_windows(2, 4)[0])
    express_sign_in(b, system, "scheduler@sunrise.example")
    path = f"/care-requests/{care}/calendar.ics"
    with b.step("the request's page links its calendar file"):
        b.go(f"{system['express']}/care-requests/{care}")
        links = b.driver.find_elements(By.XPATH, "//a[starts-with(normalize-space(), 'Add to calendar')]")
        assert links and links[0].get_attribute("href").endswith(path), [a.get_attribute("href") for a in links]
    lifecycle(b, station, care, path, {"partner_id": station.care_request(care)["partner_id"]})
    with b.step("an unknown request has no file"):
        status, _, _ = fetch(b, "/care-requests/00000000-0000-4000-8000-000000000000/calendar.ics")
        assert status == 404, status
    other = second_browser
    express_sign_in(other, system, "admin@mercy.example")
    with other.step("another partner's admin gets no file of Sunrise's request"):
        status, _, text = fetch(other, path)
        assert status in (403, 404), (status, text[:300])


@pytest.mark.links_demo_patient
def test_23_oss_calendar_file_follows_the_patients_request(browser, system):
    station = station_of(system)
    b = browser
    care, _ = patient_request(b, system, window_index=5)
    path = f"/requests/{care}/calendar.ics"
    with b.step("the confirmation page links the calendar file"):
        links = b.driver.find_elements(By.XPATH, "//a[starts-with(normalize-space(), 'Add to calendar')]")
        assert links and links[0].get_attribute("href").endswith(path), [a.get_attribute("href") for a in links]
    lifecycle(b, station, care, path, {"patient_id": station.care_request(care)["patient"]["id"]})
    with b.step("a request that is not the patient's has no file for them"):
        other = station.create_sunrise_request(station.free_windows(2, 4)[1])
        status, _, _ = fetch(b, f"/requests/{other}/calendar.ics")
        assert status in (403, 404), status
