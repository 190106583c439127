"""Station's events end to end: a real `selfsched serve` pushes every event to a subscriber registered through
STATION_EVENT_SUBSCRIBERS, and the subscriber checks every delivery with the `standardwebhooks` package from PyPI
(a verifier nobody here wrote). The serve process is killed with SIGKILL half-way and restarted on the same data:
every event still arrives, each is processed once (the receiver drops repeats by webhook-id, as every receiver
must), in order per care request, retried after the receiver answered 500, and the feed GET /v1/events gives the
same events with no gap."""
import base64
import json
import os
import secrets
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from selfsched_e2e import Serve, free_ports, machine_token

SUNRISE = "5a7e0000-0000-4000-8000-000000000001"
FAILURES = 6  # the receiver answers 500 to its first deliveries
REQUESTS = 4
MOVES = ["accepted", "scheduled", "on_route", "on_scene", "complete"]


class Receiver:
    """A subscriber's endpoint as a real one must be: it verifies each delivery's signature, processes each
    webhook-id once, and answers 500 to its first FAILURES deliveries."""

    def __init__(self, secret):
        self.webhook = Webhook(secret)
        self.lock = threading.Lock()
        self.failures_left = FAILURES
        self.deliveries = []  # (webhook-id, status answered), in arrival order
        self.processed = []  # the events, in the order they were processed
        self.seen = set()
        self.refused = []  # deliveries whose signature did not verify
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver.receive(dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def receive(self, headers, body):
        try:
            envelope = self.webhook.verify(body, headers)
        except WebhookVerificationError as error:
            with self.lock:
                self.refused.append(str(error))
            return 400
        webhook_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
        with self.lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                self.deliveries.append((webhook_id, 500))
                return 500
            self.deliveries.append((webhook_id, 204))
            if webhook_id not in self.seen:
                self.seen.add(webhook_id)
                self.processed.append(envelope["data"])
            return 204

    def processed_ids(self):
        with self.lock:
            return [event["id"] for event in self.processed]

    def stop(self):
        self.server.shutdown()


class Station:
    """Station's API with the tokens of the command line's client (dispatch) and Express's (the feed)."""

    def __init__(self, serve):
        self.url = serve.urls["station"]
        known = serve.secrets()
        identity = serve.urls["identity"]
        scopes = "station.patients.read station.care_requests.read station.care_requests.write station.dispatch"
        self.dispatcher = machine_token(identity, "cli-m2m", known["cli-m2m"], "station", scopes)
        self.reader = machine_token(identity, "express-m2m", known["express-m2m"], "station", "station.events.read")

    def call(self, method, path, token, **kwargs):
        return requests.request(
            method, self.url + path, headers={"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})},
            timeout=10, **kwargs)

    def create(self, patient):
        body = {
            "patient_id": patient, "partner_id": SUNRISE, "service_line_id": self.service_line(), "source": "express",
            "chief_complaint": "Events tier", "created_by_user_id": "events-tier",
            "visit_address": {"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"},
            "requester": {"name": "Events Tier", "phone": "303-555-0100", "relationship": "Facility staff"},
            "screening": {"questionnaire_version": "2024-1", "answers": {}, "outcome": "self_schedule",
                          "reason_codes": []},
        }
        answer = self.call("POST", "/v1/care-requests", self.dispatcher, json=body,
                           headers={"Idempotency-Key": str(uuid.uuid4())})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    def service_line(self):
        answer = self.call("GET", "/v1/service-lines", self.dispatcher)
        assert answer.status_code == 200, answer.text
        return answer.json()[0]["id"]

    def patient(self):
        answer = self.call("GET", f"/v1/partners/{SUNRISE}/patients?q=whitfield", self.dispatcher)
        assert answer.status_code == 200, answer.text
        return answer.json()["items"][0]["id"]

    def move(self, care_request, status):
        body = {"to": status}
        if status == "scheduled":
            start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
            body["eta"] = {"start": start.isoformat().replace("+00:00", "Z"),
                           "end": (start + timedelta(hours=1)).isoformat().replace("+00:00", "Z")}
        answer = self.call("POST", f"/v1/care-requests/{care_request}/status-changes", self.dispatcher, json=body)
        assert answer.status_code == 200, answer.text

    def feed(self, limit=7):
        """Every event, followed page by page through next_after as a consumer keeps its cursor."""
        events, after = [], 0
        while True:
            answer = self.call("GET", f"/v1/events?after={after}&limit={limit}", self.reader)
            assert answer.status_code == 200, answer.text
            page = answer.json()
            events += page["events"]
            after = page["next_after"]
            if not page["has_more"]:
                return events


@pytest.fixture
def system(monkeypatch):
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    receiver = Receiver(secret)
    serve = Serve()
    subscribers = {
        "express": f"{serve.urls['express']}/internal/v1/station-events",
        "oss": f"{serve.urls['oss']}/internal/v1/station-events",
        "tier": receiver.url,
    }
    monkeypatch.setenv("STATION_EVENTS_SECRET", secret)
    monkeypatch.setenv("STATION_EVENT_SUBSCRIBERS", ",".join(f"{k}={v}" for k, v in subscribers.items()))
    try:
        yield serve.start(), receiver
    finally:
        serve.stop()
        receiver.stop()


def test_every_event_arrives_once_in_order_across_a_kill(system):
    serve, receiver = system
    station = Station(serve)
    patient = station.patient()
    requests_made = [station.create(patient) for _ in range(REQUESTS)]
    moves = [(care_request, status) for status in MOVES for care_request in requests_made]

    half = len(moves) // 2
    for care_request, status in moves[:half]:
        station.move(care_request, status)
    serve.proc.kill()  # SIGKILL: no shutdown, deliveries cut off wherever they are
    serve.proc.wait()
    serve.start()
    station = Station(serve)
    for care_request, status in moves[half:]:
        station.move(care_request, status)

    expected = REQUESTS * (1 + len(MOVES))
    feed = station.feed()
    ids = [event["id"] for event in feed]
    assert len(ids) == expected, f"the feed has {len(ids)} events, not {expected}"
    assert ids == list(range(ids[0], ids[0] + expected)), f"the feed's ids have gaps or repeats: {ids}"

    deadline = time.time() + 90
    while time.time() < deadline and len(receiver.processed_ids()) < expected:
        time.sleep(0.5)
    assert not receiver.refused, f"deliveries failed verification: {receiver.refused}"
    processed = receiver.processed_ids()
    assert sorted(processed) == ids, f"missing: {sorted(set(ids) - set(processed))}; log: {serve.log_tail()}"
    assert len(processed) == len(set(processed))

    by_request = {}
    for event in receiver.processed:
        by_request.setdefault(event["care_request_id"], []).append(event)
    assert set(by_request) == set(requests_made)
    for care_request, events in by_request.items():
        assert [e["id"] for e in events] == sorted(e["id"] for e in events), f"out of order for {care_request}"
        assert [e["new_status"] for e in events] == ["requested"] + MOVES
        assert [e.get("old_status") for e in events] == [None, "requested"] + MOVES[:-1]

    by_id = {event["id"]: event for event in receiver.processed}
    for event in feed:
        pushed = by_id[event["id"]]
        for field in ["type", "care_request_id", "partner_id", "old_status", "new_status"]:
            assert event.get(field) == pushed.get(field), f"event {event['id']}: {field} differs"

    answers = {}
    for webhook_id, status in receiver.deliveries:
        answers.setdefault(webhook_id, []).append(status)
    failed_first = [webhook_id for webhook_id, statuses in answers.items() if statuses[0] == 500]
    assert failed_first, "the receiver never answered 500"
    assert all(204 in answers[webhook_id] for webhook_id in failed_first), "a delivery answered 500 was not retried"
    assert set(answers) == {f"evt_{i}" for i in ids}, "webhook-id is not evt_<event id>"
