"""A patient's own request, made through OSS's patients' app over HTTP as a browser would, and moved by a
dispatcher with `selfsched station set-status`: each change the patient hears about arrives at the real SMTP
server as an email that names the patient by first name only, with both parts and a one-click unsubscribe."""
import re
import subprocess
import time
from datetime import datetime, timedelta, timezone
from html import unescape

import requests

from selfsched_e2e import PASSWORD, WHOM

PATIENT = {"given_name": "Dana", "family_name": "Quillfeather", "date_of_birth": "1971-04-05", "sex": "other",
           "phone": "303-555-0144"}
ADDRESS = {"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"}
COMPLAINT = "Persistent cough since Sunday"
# What the emails must never carry: the reason, the address, the birth date, the patient's phone, the last name.
PHI = ["Quillfeather", "1971", "04-05", "Persistent cough", "Larimer", "80202", "303-555-0144"]


def csrf(page):
    return unescape(re.search(r'name="csrf" value="([^"]+)"', page).group(1))


def sign_in(urls, email="patient@example.com"):
    """A patients' app session, signed in on Identity's form as a person would."""
    browser = requests.Session()
    page = browser.get(urls["oss"] + "/sign-in?return=/", timeout=10)
    assert page.status_code == 200 and "<form" in page.text, page.text[:300]
    form = {name: unescape(value) for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    form.update(email=email, password=PASSWORD)
    home = browser.post(urls["identity"] + action, data=form, timeout=10)
    if WHOM in home.text:  # OSS first asks an account whom it schedules for (issue 16): the patient herself
        home = browser.post(urls["oss"] + "/people/new", data={"csrf": csrf(home.text), "myself": "on"}, timeout=10)
    assert "Request a home visit" in home.text, home.text[:500]
    return browser, csrf(home.text)


def request_visit(urls):
    """Walks the patients' app from a new draft to the confirmation; returns the care request id."""
    browser, token = sign_in(urls)
    oss = urls["oss"]
    start = browser.post(oss + "/drafts", data={"csrf": token}, allow_redirects=False, timeout=10)
    assert start.status_code == 303, start.text[:300]
    base = oss + start.headers["Location"].rsplit("/", 1)[0]

    def step(name, form):
        answer = browser.post(f"{base}/{name}", data={"csrf": token, **form}, allow_redirects=False, timeout=15)
        assert answer.status_code == 303, f"{name}: {answer.status_code} {answer.text[:500]}"
        return answer

    step("patient", PATIENT)
    step("reason", {"chief_complaint": COMPLAINT, "symptom_cough": "on"})
    step("location", ADDRESS)
    windows = re.findall(r'name="window" value="([^"]+)"', browser.get(base + "/window", timeout=15).text)
    assert windows, "no time window offered"
    step("window", {"window": unescape(windows[0])})
    step("details", {"self_pay": "on", "callback_phone": PATIENT["phone"]})
    done = step("submit", {})
    match = re.match(r"/requests/([0-9a-f-]{36})\?created=1", done.headers["Location"])
    assert match, done.headers["Location"]
    return match.group(1)


def set_status(binary, data_dir, care_request, status, *extra):
    result = subprocess.run([binary, "station", "set-status", "--data-dir", data_dir, care_request, status, *extra],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_patient_hears_of_each_change_at_the_smtp_server(mail_serve, mailbox):
    urls = mail_serve.urls
    care_request = request_visit(urls)
    mine = lambda received: care_request in received.text  # noqa: E731
    mailbox.wait_for(1, match=mine, timeout=60)

    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=1)
    set_status(mail_serve.binary, mail_serve.data_dir, care_request, "accepted")
    set_status(mail_serve.binary, mail_serve.data_dir, care_request, "scheduled",
               "--eta-start", iso(soon), "--eta-end", iso(soon + timedelta(hours=2)))
    set_status(mail_serve.binary, mail_serve.data_dir, care_request, "on_route")
    received = mailbox.wait_for(3, match=mine, timeout=90)

    assert sorted(m.header("Subject") for m in received) == sorted([
        "We received your request for a home visit", "Your home visit is booked", "Your clinician is on the way"])
    for message in received:
        assert message.envelope_to == ["patient@example.com"]
        assert message.header("To") == "patient@example.com"
        assert message.header("From") == "SelfScheduling Tests <no-reply@selfsched.test>"
        unsubscribe = str(message.header("List-Unsubscribe"))
        assert unsubscribe.startswith(f"<{urls['oss']}/unsubscribe/") and unsubscribe.endswith(">")
        assert message.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
        for part in (message.text, message.html):
            assert "Hi Dana," in part
            assert f"{urls['oss']}/requests/{care_request}" in part
            assert unsubscribe.strip("<>") in part
            for phi in PHI:
                assert phi not in part, f"{message.header('Subject')} carries {phi}"
        assert "Dana" not in str(message.header("Subject"))
    booked = next(m for m in received if m.header("Subject") == "Your home visit is booked")
    # The arrival estimate in the market's zone (Denver), not in UTC.
    assert re.search(r"between \w+day, \w+ \d+, \d+:\d\d [AP]M and .* M[SD]T", booked.text), booked.text

    # One click, as a mail client does it (RFC 8058): no cookie, no form token; the confirm page works too.
    link = unsubscribe.strip("<>")
    assert "Stop these emails" in requests.get(link, timeout=10).text
    done = requests.post(link, data={"List-Unsubscribe": "One-Click"}, timeout=10)
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert requests.post(link[:-4] + "AAAA", data={"List-Unsubscribe": "One-Click"}, timeout=10).status_code == 400
