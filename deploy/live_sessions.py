"""What the scale-out checks of the live pages share (deploy/live-relay-check.py, console-live-check.py and
live-failover-check.py): signing in as a browser would, a care request made in Station as OSS would, and a
server-sent-event stream read as a browser's EventSource reads it."""
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
from second_factor import answer_second_factor  # noqa: E402  (staff answer Identity's code page)

SUNRISE = "5a7e0000-0000-4000-8000-000000000001"
PASSWORD = "selfsched-demo"


def secret(data_dir, name):
    """One of the deployment's generated secrets (<data dir>/secrets.json)."""
    with open(f"{data_dir}/secrets.json") as file:
        return json.load(file)[name]


def _sign_in_form(session, page):
    form = {n: unescape(v) for n, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    return form, re.match(r"(https?://[^/]+)", page.url).group(1) + unescape(action)


def express_signed_in(instance, email="scheduler@sunrise.example"):
    """A browser-like session signed in to Express at `instance`; returns it and the care requests page's HTML."""
    session = requests.Session()
    form, action = _sign_in_form(session, session.get(f"{instance}/care-requests", timeout=10))
    form.update(email=email, password=PASSWORD)
    answer = session.post(action, data=form, timeout=10)
    assert "/care-requests" in answer.url, answer.url
    return session, answer.text


def console_signed_in(instance, email="dispatcher@example.com", cookies=None):
    """A browser-like session signed in to Console through the staff tenant's sign-in page (sessions live in the
    shared database, so the cookie is good on every instance); returns it and the board's HTML.

    With `cookies` (a file), a session saved there by an earlier check is used while it still opens the board, and
    a new one is saved: a second sign-in within the same 30 seconds would need the next code of the account's
    second factor, which another process (the browser tests) may be about to use."""
    session = requests.Session()
    if cookies and Path(cookies).exists():
        session.cookies.update(json.loads(Path(cookies).read_text()))
        board = session.get(f"{instance}/board", timeout=10)
        if board.ok and "/board" in board.url:
            return session, board.text
        session = requests.Session()
    form, action = _sign_in_form(session, session.get(f"{instance}/", timeout=10))
    form.update(email=email, password=PASSWORD)
    answer = answer_second_factor(session, session.post(action, data=form, allow_redirects=False, timeout=10), email)
    answer = session.get(urljoin(answer.url, answer.headers["Location"]), timeout=10) if answer.is_redirect else answer
    assert answer.ok and "/board" in answer.url, (answer.status_code, answer.url)
    if cookies:
        Path(cookies).write_text(json.dumps(requests.utils.dict_from_cookiejar(session.cookies)))
    return session, answer.text


def live_source(page):
    """The path a page's EventSource opens (its data-live-source: the stream, after the newest event it shows)."""
    return unescape(re.search(r'data-live-source="([^"]+)"', page).group(1))


def create_care_request(identity, station, cli_secret, complaint="Scale-out check"):
    """A care request for Sunrise's demo patient, made in Station with the command-line machine client's token;
    returns its id."""
    token = requests.post(f"{identity}/staff/token", auth=("cli-m2m", cli_secret), timeout=10, data={
        "grant_type": "client_credentials", "audience": "station",
        "scope": "station.patients.read station.care_requests.write"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    patient = requests.get(f"{station}/v1/partners/{SUNRISE}/patients?q=whitfield", headers=headers,
                           timeout=10).json()["items"][0]["id"]
    service_line = requests.get(f"{station}/v1/service-lines", headers=headers, timeout=10).json()[0]["id"]
    body = {
        "patient_id": patient, "partner_id": SUNRISE, "service_line_id": service_line, "source": "express",
        "chief_complaint": complaint, "created_by_user_id": "scale-out-check",
        "visit_address": {"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"},
        "requester": {"name": "Scale Out", "phone": "303-555-0100", "relationship": "Facility staff"},
        "screening": {"questionnaire_version": "2024-1", "answers": {}, "outcome": "self_schedule",
                      "reason_codes": []},
    }
    answer = requests.post(f"{station}/v1/care-requests", json=body, timeout=10,
                           headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["id"]


class EventStream:
    """One server-sent-event stream, read on a thread of its own as a browser's EventSource reads it: every
    message goes to `messages` as (stream, event id or None, data); the newest `id:` is kept as `last_id` for a
    reconnection's Last-Event-ID; `served_by` is the instance nginx passed it to (its X-Served-By header).
    `ended` is set when the connection ends (the instance died)."""

    def __init__(self, session, url, messages, name, last_id=None):
        self.session, self.url, self.messages, self.name = session, url, messages, name
        self.last_id, self.served_by = last_id, None
        self.ended = threading.Event()

    def open(self):
        headers = {"Last-Event-ID": self.last_id} if self.last_id else {}
        self.ended.clear()
        response = self.session.get(self.url, stream=True, headers=headers, timeout=(5, 120))
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream"), \
            (self.url, response.status_code, response.headers.get("content-type"))
        self.served_by = response.headers.get("X-Served-By")
        threading.Thread(target=self._read, args=(response,), daemon=True).start()
        return self

    def _read(self, response):
        event_id, data = None, []
        try:
            for raw in response.iter_lines():
                line = raw.decode()
                if line.startswith("id: "):
                    event_id = line[4:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif not line and data:
                    if event_id:
                        self.last_id = event_id
                    self.messages.put((self, event_id, "\n".join(data)))
                    event_id, data = None, []
        except requests.RequestException:
            pass
        finally:
            self.ended.set()


def wait_for(messages, wanted, streams, seconds):
    """Reads `messages` until every stream in `streams` has carried data `wanted`, or `seconds` pass; returns the
    streams that did."""
    reached, deadline = set(), time.time() + seconds
    while time.time() < deadline and not set(streams) <= reached:
        try:
            stream, _, data = messages.get(timeout=max(0.1, deadline - time.time()))
        except queue.Empty:
            break
        if data == wanted:
            reached.add(stream)
    return reached
