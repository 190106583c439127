"""A published free Slot's booking deep link, opened signed out in Chromium: the patient signs in, screening runs as
usual, and the window step has the Slot's window chosen, labelled in the market's zone; a link to a slot filled
meanwhile (through Station, as other bookings fill it) says it is no longer available and chooses nothing."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import requests
from selenium.webdriver.common.by import By

from fhir_support import BOOKING_DEEP_LINK, SLOT_CAPACITY, extension, instant, ndjson, validate
from station_e2e import DENVER, Station

PATIENT = "patient@example.com"
ZONE = ZoneInfo("America/Denver")
ADDRESS = {"Street address": "1600 Larimer St", "City": "Denver", "State": "CO", "ZIP code": "80202"}


def denver_slots(serve):
    answer = requests.get(f"{serve.urls['station']}/fhir/r4/$bulk-publish/slots/{DENVER}.ndjson", timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return [validate(slot) for slot in ndjson(answer.text)]


def free_slots(serve, first_day=2, last_day=5):
    """Free Denver slots `first_day` to `last_day` days ahead (the window step offers them), one per window."""
    today = datetime.now(ZONE).date()
    found, windows = [], set()
    for slot in denver_slots(serve):
        day = instant(slot["start"]).astimezone(ZONE).date()
        if slot["status"] == "free" and first_day <= (day - today).days <= last_day and slot["start"] not in windows:
            windows.add(slot["start"])
            found.append(slot)
    assert len(found) >= 2, "fewer than two free Denver slots 2 to 5 days ahead"
    return found


def label(start, end):
    """The window as OSS words it: "Tue, Dec 1, 8:00 AM – 10:00 AM" (the market's zone)."""
    def clock(moment):
        return moment.strftime("%I:%M %p").lstrip("0")
    start, end = instant(start).astimezone(ZONE), instant(end).astimezone(ZONE)
    return f"{start:%a}, {start:%b} {start.day}, {clock(start)} – {clock(end)}"


def form_value(slot):
    """OSS's radio value of a window: both instants in ISO 8601, UTC, `start|end`."""
    def iso(text):
        return instant(text).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{iso(slot['start'])}|{iso(slot['end'])}"


def screening_to_the_window_step(b):
    """From a linked draft's first step, through the patient's details (when asked), screening and the address."""
    with b.step("the patient (details unless the account knows them)"):
        if b.has_field("First name") and not b.field("First name").get_attribute("value"):
            b.fill("First name", "Pat")
            b.fill("Last name", "Patient")
            b.fill("Date of birth (YYYY-MM-DD)", "1960-06-06")
            b.choose("Sex", "Other")
            b.fill("Phone", "303-555-0123")
        b.press("Next")
    with b.step("screening runs first"):
        assert "Reason for the visit" in b.text, b.text[:500]
        b.fill("What is going on?", "Cough and a low fever since Tuesday")
        b.check("Cough or congestion")
        b.press("Next")
    with b.step("address in Denver"):
        if not b.field("Street address").get_attribute("value"):
            for field, value in ADDRESS.items():
                b.fill(field, value)
        b.press("Next")


def checked_windows(b):
    return [r.get_attribute("value") for r in b.driver.find_elements(By.CSS_SELECTOR, "input[name=window]")
            if r.is_selected()]


def test_a_booking_link_opens_its_window_and_a_filled_one_says_so(serve, browser):
    b = browser
    slot, later = free_slots(serve)[:2]
    link = extension(slot, BOOKING_DEEP_LINK)[0]
    assert link.startswith(serve.urls["oss"] + "/book?slot=")
    with b.step("the link, signed out, asks to sign in"):
        b.go(link)
        assert b.has_field("Password"), b.text[:300]
    with b.step("sign in as the patient and come back to the link"):
        b.sign_in(PATIENT)
        b.schedule_for_myself()
        assert b.url.startswith(serve.urls["oss"]), b.url
        assert "This booking link is not valid" not in b.text
    screening_to_the_window_step(b)
    with b.step("the link's window is chosen, labelled in Denver's time"):
        assert f"The time from your link is selected: {label(slot['start'], slot['end'])}." in b.text, b.text[:1500]
        assert checked_windows(b) == [form_value(slot)]

    station = Station(serve.urls["station"], serve.urls["identity"], serve.secrets())
    places = extension(later, SLOT_CAPACITY)[0]
    for _ in range(places):
        station.create_sunrise_request({"start": later["start"], "end": later["end"]}, complaint="FHIR tier, full")
    refreshed = next(s for s in denver_slots(serve) if s["id"] == later["id"])
    assert refreshed["status"] == "busy" and extension(refreshed, SLOT_CAPACITY) == [0], refreshed
    assert not extension(refreshed, BOOKING_DEEP_LINK)
    with b.step("a link to a window filled meanwhile"):
        b.go(extension(later, BOOKING_DEEP_LINK)[0])
        b.schedule_for_myself()
    screening_to_the_window_step(b)
    with b.step("says it is no longer available and chooses nothing"):
        assert "The time from your link is no longer available. Choose another time." in b.text, b.text[:1500]
        assert checked_windows(b) == []
        assert b.driver.find_elements(By.CSS_SELECTOR, "input[name=window]"), "no fresh windows offered"
