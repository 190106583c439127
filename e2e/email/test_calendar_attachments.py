"""The visit's calendar file in the emails, through the real SMTP server: a rescheduled and then cancelled request's
notifications (Express's to the partner user who made it, OSS's to the patient who made theirs) each arrive with a
text/calendar attachment that a third-party iCalendar reader (`icalendar` from PyPI) parses, with the request's one
UID, Station's calendar sequence and the method (PUBLISH for a new time, CANCEL for a cancellation). The changes are
made at Station's API as OSS makes them, with OSS's machine token."""
import uuid
from datetime import datetime, timedelta, timezone

import icalendar
import requests

from selfsched_e2e import machine_token, user_token
from test_partner_notifications import SCHEDULER, choose, claims, record_creator, signed_in
from test_patient_emails import PHI, request_visit


def station_headers(serve):
    secrets = serve.secrets()
    token = machine_token(serve.urls["identity"], "oss-m2m", secrets["oss-m2m"], "station",
                          "station.care_requests.read station.care_requests.write")
    return {"Authorization": f"Bearer {token}"}


def care_request(serve, headers, care_request_id):
    answer = requests.get(f"{serve.urls['station']}/v1/care-requests/{care_request_id}", headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def another_window(serve, headers, request):
    """A window of the request's market with room, not yet started, other than its own."""
    # From yesterday in UTC: never before the market's own yesterday, the earliest day Station publishes.
    start = datetime.now(timezone.utc).date() - timedelta(days=1)
    answer = requests.get(f"{serve.urls['station']}/v1/markets/{request['market']['id']}/availability",
                          headers=headers, timeout=10,
                          params={"from": start.isoformat(), "to": (start + timedelta(days=4)).isoformat()})
    assert answer.status_code == 200, answer.text
    current = request.get("time_window") or {}
    return next({"start": w["start"], "end": w["end"]} for w in answer.json()
                if w["remaining"] > 0 and w["start"] != current.get("start"))


def change(serve, headers, care_request_id, action, body):
    """POST /v1/care-requests/{id}/reschedule or /cancellation, as OSS sends it (a fresh Idempotency-Key)."""
    answer = requests.post(f"{serve.urls['station']}/v1/care-requests/{care_request_id}/{action}", json=body,
                           headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, timeout=15)
    assert answer.status_code == 200, f"{action}: {answer.status_code} {answer.text}"
    return answer.json()


def calendar_of(message):
    """The one text/calendar attachment of `message`, parsed by icalendar: (the calendar, its one event)."""
    parts = [part for part in message.message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, f"expected one text/calendar part, found {len(parts)}"
    part = parts[0]
    assert part.get_content_disposition() == "attachment"
    assert part.get_filename().endswith(".ics")
    assert part["Content-Transfer-Encoding"] == "base64"
    data = part.get_payload(decode=True)
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    assert part.get_param("method") == str(calendar["METHOD"])
    return calendar, event, data.decode()


def assert_calendar(message, care_request_id, sequence, method, window=None):
    calendar, event, text = calendar_of(message)
    assert str(calendar["METHOD"]) == method
    assert str(event["UID"]) == f"care-request-{care_request_id}@selfscheduling.example"
    assert int(event["SEQUENCE"]) == sequence
    assert str(event["STATUS"]) == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
    assert str(event["SUMMARY"]) == "Home visit"
    if window:
        start = datetime.fromisoformat(window["start"].replace("Z", "+00:00"))
        assert event.decoded("DTSTART") == start
    return text


def test_a_partner_users_reschedule_and_cancel_emails_carry_the_visit_calendar(mail_serve, mailbox):
    serve = mail_serve
    secrets = serve.secrets()
    access = user_token(serve.urls["identity"], "express", "express-web", secrets["express-web"],
                        serve.urls["express"] + "/auth/callback", SCHEDULER)
    who = claims(access)
    partner, user = who["partner_id"], who["user_id"]
    headers = station_headers(serve)
    listed = requests.get(f"{serve.urls['station']}/v1/partners/{partner}/care-requests?limit=100", headers=headers,
                          timeout=10).json()["items"]
    request = care_request(serve, headers, next(
        item["id"] for item in listed if item["status"] == "requested" and item.get("time_window")))
    choose(serve, signed_in(serve, SCHEDULER), "created_by_me")
    record_creator(serve, request["id"], partner, user)
    mine = lambda subject: lambda m: SCHEDULER in m.envelope_to and m.header("Subject") == subject  # noqa: E731

    window = another_window(serve, headers, request)
    moved = change(serve, headers, request["id"], "reschedule",
                   {"time_window": window, "partner_id": partner, "on_behalf_of": user})
    assert moved["calendar_sequence"] == request.get("calendar_sequence", 0) + 1
    [rescheduled] = mailbox.wait_for(1, match=mine("Care request rescheduled"), timeout=60)
    assert "New time window:" in rescheduled.text
    ics = assert_calendar(rescheduled, request["id"], moved["calendar_sequence"], "PUBLISH", window)
    for needle in filter(None, [request["patient"]["family_name"], request["patient"]["given_name"],
                                request["patient"]["date_of_birth"], request["visit_address"]["line1"],
                                request["chief_complaint"]]):
        assert needle not in ics, f"{needle!r} is in the calendar file"

    cancelled = change(serve, headers, request["id"], "cancellation",
                       {"reason": "no_longer_needed", "partner_id": partner, "on_behalf_of": user})
    assert cancelled["calendar_sequence"] > moved["calendar_sequence"]
    [message] = mailbox.wait_for(1, match=mine("Care request cancelled"), timeout=60)
    assert "was cancelled" in message.text
    assert_calendar(message, request["id"], cancelled["calendar_sequence"], "CANCEL")


def test_a_patients_emails_add_move_and_cancel_the_visit_in_their_calendar(mail_serve, mailbox):
    urls = mail_serve.urls
    care_request_id = request_visit(urls)
    headers = station_headers(mail_serve)
    mine = lambda subject: lambda m: care_request_id in m.text and m.header("Subject") == subject  # noqa: E731

    [received] = mailbox.wait_for(1, match=mine("We received your request for a home visit"), timeout=60)
    request = care_request(mail_serve, headers, care_request_id)
    assert_calendar(received, care_request_id, request.get("calendar_sequence", 0), "PUBLISH", request["time_window"])

    window = another_window(mail_serve, headers, request)
    patient = {"patient_id": request["patient"]["id"], "on_behalf_of": "patient-e2e"}
    moved = change(mail_serve, headers, care_request_id, "reschedule", {"time_window": window, **patient})
    [rescheduled] = mailbox.wait_for(1, match=mine("Your home visit has a new time"), timeout=60)
    assert "It is now planned between" in rescheduled.text
    ics = assert_calendar(rescheduled, care_request_id, moved["calendar_sequence"], "PUBLISH", window)
    for phi in PHI + ["Dana"]:
        assert phi not in ics, f"the calendar file carries {phi}"

    cancelled = change(mail_serve, headers, care_request_id, "cancellation", {"reason": "other", **patient})
    [message] = mailbox.wait_for(1, match=mine("Your home visit was cancelled"), timeout=60)
    assert "remove the visit from your calendar" in message.text
    assert_calendar(message, care_request_id, cancelled["calendar_sequence"], "CANCEL")
