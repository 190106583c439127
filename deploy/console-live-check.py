"""Scale-out check of Console's live pages across instances: a dispatcher's event stream (GET /live) is open on
EACH Console instance, one session signed in through nginx; a care request created in Station (as OSS would) must
reach both streams within a few seconds, whichever instance follows Station's feed.

  console-live-check.py <console instance 1 URL> <console instance 2 URL> <Identity URL> <Station URL> <data dir>

The care request is made with the command-line machine client's token (its secret from <data dir>/secrets.json)."""
import json
import queue
import re
import sys
import threading
import time
import uuid
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from second_factor import answer_second_factor  # noqa: E402  (the dispatcher answers Identity's code page)

SUNRISE = "5a7e0000-0000-4000-8000-000000000001"
WAIT_SECONDS = 15


def signed_in(instance, email="dispatcher@example.com"):
    """A browser-like session signed in to Console through the staff tenant's sign-in page (sessions live in the
    shared database, so the cookie is good on every instance)."""
    session = requests.Session()
    page = session.get(f"{instance}/", timeout=10)
    form = {n: unescape(v) for n, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    form.update(email=email, password="selfsched-demo")
    origin = re.match(r"(https?://[^/]+)", page.url).group(1)
    answer = answer_second_factor(session, session.post(origin + unescape(action), data=form, allow_redirects=False,
                                                        timeout=10), email)
    answer = session.get(urljoin(answer.url, answer.headers["Location"]), timeout=10) if answer.is_redirect else answer
    assert answer.ok and "/board" in answer.url, (answer.status_code, answer.url)
    return session


def create_request(identity, station, secret):
    token = requests.post(f"{identity}/staff/token", auth=("cli-m2m", secret), timeout=10, data={
        "grant_type": "client_credentials", "audience": "station",
        "scope": "station.patients.read station.care_requests.write"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    patient = requests.get(f"{station}/v1/partners/{SUNRISE}/patients?q=whitfield", headers=headers,
                           timeout=10).json()["items"][0]["id"]
    service_line = requests.get(f"{station}/v1/service-lines", headers=headers, timeout=10).json()[0]["id"]
    body = {
        "patient_id": patient, "partner_id": SUNRISE, "service_line_id": service_line, "source": "express",
        "chief_complaint": "Scale-out check", "created_by_user_id": "scale-out-check",
        "visit_address": {"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"},
        "requester": {"name": "Scale Out", "phone": "303-555-0100", "relationship": "Facility staff"},
        "screening": {"questionnaire_version": "2024-1", "answers": {}, "outcome": "self_schedule",
                      "reason_codes": []},
    }
    answer = requests.post(f"{station}/v1/care-requests", json=body, timeout=10,
                           headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["id"]


def listen(session, instance, heard):
    """Puts (instance, event id) for every event the stream announces."""
    stream = session.get(f"{instance}/live", stream=True, timeout=(5, WAIT_SECONDS + 5))
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream"), \
        (instance, stream.status_code, stream.headers.get("content-type"))
    heard.put((instance, "open"))
    try:
        for line in stream.iter_lines():
            if line.startswith(b"id: "):
                heard.put((instance, line.decode()[4:]))
    except requests.RequestException:
        pass


def main(first, second, identity, station, data_dir):
    secret = json.load(open(f"{data_dir}/secrets.json"))["cli-m2m"]
    session = signed_in(first)
    heard = queue.Queue()
    for instance in (first, second):
        threading.Thread(target=listen, args=(session, instance, heard), daemon=True).start()
    opened = {heard.get(timeout=10)[0] for _ in range(2)}
    assert opened == {first, second}, opened
    time.sleep(1)
    while not heard.empty():  # what a stream replays from before the change does not count
        heard.get()
    care_request = create_request(identity, station, secret)
    deadline, reached = time.time() + WAIT_SECONDS, {}
    while time.time() < deadline and len(reached) < 2:
        try:
            instance, event = heard.get(timeout=max(0.1, deadline - time.time()))
        except queue.Empty:
            break
        reached.setdefault(instance, event)
    if len(reached) < 2:
        print(f"console live: care request {care_request} reached only {sorted(reached)} within {WAIT_SECONDS} s")
        return 1
    print(f"console live: care request {care_request}'s event reached the streams on both instances: {reached}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
