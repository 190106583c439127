"""The nine end-to-end scenarios, each from a signed-out browser against a real `selfsched serve`."""
import re

import pytest
import requests

PASSWORD = "selfsched-demo"


def express_sign_in(b, system, email):
    with b.step(f"sign in to Express as {email}"):
        b.go(system["express"] + "/")
        assert "Sign in" in b.text
        b.sign_in(email)
        assert b.url.startswith(system["express"] + "/care-requests"), b.url
        assert "Care requests" in b.text


def continue_in_oss(b, system):
    with b.step("OSS opens without a second password prompt"):
        assert b.url.startswith(system["oss"] + "/partner/start"), b.url
        assert "Password" not in b.text
        b.press("Continue")
        assert "/partner/drafts/" in b.url


def new_patient_details(b):
    b.fill("First name", "Nora")
    b.fill("Last name", "Newcomer")
    b.fill("Date of birth (YYYY-MM-DD)", "1950-02-03")
    b.choose("Sex", "Female")
    b.fill("Phone", "303-555-0177")


DENVER = {"Street address": "1600 Larimer St", "City": "Denver", "State": "CO", "ZIP code": "80202"}


def finish_steps(b, *, new_patient=False, symptom="Cough or congestion", window_index=0, skip_window=False,
                 address=DENVER, reason="Cough and a low fever since Tuesday", submit=True):
    """Answers every step from the patient's on; with `submit`, sends the review too, else stops on the review page.
    Returns the time window chosen (its words), or None."""
    with b.step("patient"):
        if new_patient:
            new_patient_details(b)
        b.press("Next")
    with b.step("reason"):
        assert "Reason for the visit" in b.text
        b.fill("What is going on?", reason)
        b.check(symptom)
        b.press("Next")
    with b.step("address"):
        if not b.field("Street address").get_attribute("value"):
            for label, value in address.items():
                b.fill(label, value)
        b.press("Next")
    chosen = None
    if not skip_window:
        with b.step("time window"):
            options = b.driver.find_elements("css selector", "input[name=window]")
            assert options, "no time windows offered"
            option = options[min(window_index, len(options) - 1)]
            chosen = option.find_element("xpath", "..").text.split(" (")[0]
            option.click()
            b.press("Next")
    with b.step("insurance and contacts"):
        b.fill("Insurance company", "Medicare")
        b.fill("Member ID", "1EG4-TE5-MK72")
        b.fill("Phone number to call", "303-555-0100")
        b.press("Next")
    if submit:
        with b.step("review"):
            assert "Review and submit" in b.text
            b.press("Submit request")
    return chosen


@pytest.mark.scale_out
def test_1_scheduler_schedules_for_eleanor_whitfield(browser, system):
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("current requests listed"):
        assert len(b.rows()) > 0
    with b.step("search Whitfield"):
        b.link("Patients")
        b.fill("Search by name, date of birth, phone or MRN", "Whitfield")
        b.press("Search")
        assert "Eleanor Whitfield" in b.text
    with b.step("new care request for Eleanor Whitfield"):
        b.press("New care request for this patient")
    continue_in_oss(b, system)
    with b.step("patient prefilled"):
        assert "Eleanor Whitfield" in b.text
    window = finish_steps(b, window_index=1)
    with b.step("back in Express with the created message"):
        assert b.url.startswith(system["express"] + "/care-requests"), b.url
        assert "Your care request was created." in b.text
        first = b.rows()[0]
        assert "Eleanor Whitfield" in first and "You" in first and "just now" in first, first
    with b.step("detail shows the chosen time window"):
        b.click(b.driver.find_elements("css selector", "tbody tr a")[0])
        start = window.split(" – ")[0]
        assert start in b.text, (start, b.text)
        assert "Not chosen yet" not in b.text


def test_2_scheduler_schedules_for_a_new_patient(browser, system):
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("new care request without a patient"):
        b.link("New care request")
        b.press("Start for a new patient")
    continue_in_oss(b, system)
    finish_steps(b, new_patient=True, window_index=2)
    with b.step("back in Express, first in Current"):
        assert "Your care request was created." in b.text
        first = b.rows()[0]
        assert "Nora Newcomer" in first and "You" in first, first


def test_3_cancel_in_the_middle(browser, system):
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("count current requests"):
        before = b.rows()[0]
    with b.step("start and cancel"):
        b.link("New care request")
        b.press("Start for a new patient")
    continue_in_oss(b, system)
    with b.step("cancel on the patient step"):
        new_patient_details(b)
        b.press("Next")
        b.press("Cancel this request")
    with b.step("back in Express with cancelled, nothing new"):
        assert b.url.startswith(system["express"]), b.url
        assert "cancelled" in b.text.lower()
        assert b.rows()[0] == before


def test_4_mercy_admin_sees_nothing_of_sunrise(browser, system):
    b = browser
    express_sign_in(b, system, "admin@mercy.example")
    with b.step("no Sunrise request listed"):
        assert "Whitfield" not in b.text
        assert "Mercy Home Health" in b.text
    with b.step("no Sunrise patient findable"):
        b.link("Patients")
        b.fill("Search by name, date of birth, phone or MRN", "Whitfield")
        b.press("Search")
        assert "No patients match" in b.text
    with b.step("new care request shows the phone page"):
        b.link("New care request")
        assert "Schedule by phone" in b.text


def test_5_viewer_reads_but_cannot_start(browser, system):
    b = browser
    express_sign_in(b, system, "viewer@sunrise.example")
    with b.step("reads requests, no New care request"):
        assert len(b.rows()) > 0
        assert not b.has_button("New care request")
    with b.step("the URL refuses"):
        b.go(system["express"] + "/care-requests/new")
        assert "You cannot start care requests" in b.text


def test_6_patient_self_schedules(browser, system):
    b = browser
    with b.step("sign in at OSS"):
        b.go(system["oss"] + "/")
        b.sign_in("patient@example.com")
        b.schedule_for_myself()
        assert "Request a home visit" in b.text
    with b.step("start"):
        b.press("Start a new request")
    with b.step("patient"):
        b.fill("First name", "Pat")
        b.fill("Last name", "Patient")
        b.fill("Date of birth (YYYY-MM-DD)", "1960-06-06")
        b.choose("Sex", "Other")
        b.fill("Phone", "303-555-0123")
    finish_steps(b, window_index=3)
    with b.step("confirmation"):
        assert "Your request is in" in b.text
    with b.step("My requests"):
        b.link("My requests")
        assert "Requested" in b.text


def test_7_emergency_sign_ends_with_911(browser, system):
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("count requests"):
        before = b.rows()[0]
        b.link("New care request")
        b.press("Start for a new patient")
    continue_in_oss(b, system)
    with b.step("patient"):
        new_patient_details(b)
        b.press("Next")
    with b.step("emergency sign"):
        b.fill("What is going on?", "Sudden chest pressure")
        b.check("Chest pain or pressure")
        b.press("Next")
        assert "Call 911" in b.text
    with b.step("no request anywhere"):
        b.press("Back to Express")
        assert b.rows()[0] == before


def test_8_nurse_triage_appears_as_pending(browser, system):
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("start"):
        b.link("New care request")
        b.press("Start for a new patient")
    continue_in_oss(b, system)
    finish_steps(b, new_patient=True, symptom="New confusion", skip_window=True)
    with b.step("pending triage in Express"):
        first = b.rows()[0]
        assert "Nora Newcomer" in first and "Waiting for a nurse" in first, first


def test_9_handoff_link_reload_and_another_user(browser, second_browser, system):
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("open the handoff link and reload it"):
        b.link("New care request")
        b.press("Start for a new patient")
        link = b.url
        b.driver.refresh()
        b.settle()
        assert "Continue" in b.text
        b.press("Continue")
        assert "/partner/drafts/" in b.url
    other = second_browser
    express_sign_in(other, system, "admin@sunrise.example")
    with other.step("another signed-in user opens the same link"):
        other.go(link)
        other.settle()
        assert "made for someone else" in other.text
        assert other.has_button("Back to Express")
