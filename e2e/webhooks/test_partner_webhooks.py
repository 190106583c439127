"""Partner webhooks end to end: the demo partner's admin registers an endpoint through Express's partner API, a
dispatcher moves care requests in Station, and the partner's receiver checks every delivery with the
`standardwebhooks` package from PyPI (a verifier nobody here wrote). It answers 500 to its first deliveries and
sees them retried, processes each event once (dropping repeats by webhook-id, as every receiver must, also after a
replay), in order per care request, and the delivery log in the partner API shows every attempt."""
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from selfsched_e2e import Serve, machine_token, user_token

SUNRISE = "5a7e0000-0000-4000-8000-000000000001"
ADMIN = "admin@sunrise.example"
FAILURES = 3  # the receiver answers 500 to its first deliveries
REQUESTS = 2
MOVES = ["accepted", "scheduled", "on_route"]


class Receiver:
    """A partner system's endpoint: verifies each delivery with the endpoint's secret, processes each webhook-id
    once, answers 500 to its first FAILURES deliveries."""

    def __init__(self):
        self.webhook = None
        self.lock = threading.Lock()
        self.failures_left = FAILURES
        self.deliveries = []  # (webhook-id, status answered), in arrival order
        self.processed = []  # the events, in the order they were processed
        self.seen = set()  # the webhook-ids processed
        self.refused = []
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
        except (WebhookVerificationError, AttributeError) as error:
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

    def processed_count(self):
        with self.lock:
            return len(self.processed)

    def answers(self, webhook_id):
        with self.lock:
            return [status for delivered, status in self.deliveries if delivered == webhook_id]

    def stop(self):
        self.server.shutdown()


class Dispatch:
    """Station's API as a dispatcher uses it (the command line's client)."""

    def __init__(self, serve):
        self.url = serve.urls["station"]
        scopes = "station.patients.read station.care_requests.read station.care_requests.write station.dispatch"
        self.token = machine_token(serve.urls["identity"], "cli-m2m", serve.secrets()["cli-m2m"], "station", scopes)

    def call(self, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        answer = requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    def create(self):
        patient = self.call("GET", f"/v1/partners/{SUNRISE}/patients?q=whitfield")["items"][0]["id"]
        service_line = self.call("GET", "/v1/service-lines")[0]["id"]
        body = {
            "patient_id": patient, "partner_id": SUNRISE, "service_line_id": service_line, "source": "express",
            "chief_complaint": "Webhooks tier", "created_by_user_id": "webhooks-tier",
            "visit_address": {"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"},
            "requester": {"name": "Webhooks Tier", "phone": "303-555-0100", "relationship": "Facility staff"},
            "screening": {"questionnaire_version": "2024-1", "answers": {}, "outcome": "self_schedule",
                          "reason_codes": []},
        }
        return self.call("POST", "/v1/care-requests", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})["id"]

    def move(self, care_request, status):
        body = {"to": status}
        if status == "scheduled":
            start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
            body["eta"] = {"start": start.isoformat().replace("+00:00", "Z"),
                           "end": (start + timedelta(hours=1)).isoformat().replace("+00:00", "Z")}
        self.call("POST", f"/v1/care-requests/{care_request}/status-changes", json=body)


class PartnerAPI:
    """Express's partner API with the demo partner admin's own access token."""

    def __init__(self, serve):
        self.url = serve.urls["express"] + "/api/v1"
        self.token = user_token(serve.urls["identity"], "express", "express-web", serve.secrets()["express-web"],
                                serve.urls["express"] + "/auth/callback", ADMIN)

    def call(self, method, path, expect, **kwargs):
        answer = requests.request(method, self.url + path, headers={"Authorization": f"Bearer {self.token}"},
                                  timeout=10, **kwargs)
        assert answer.status_code == expect, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None


@pytest.fixture
def system():
    receiver = Receiver()
    serve = Serve()
    try:
        yield serve.start(), receiver
    finally:
        serve.stop()
        receiver.stop()


def wait_until(condition, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline and not condition():
        time.sleep(0.25)
    return condition()


def test_a_partner_system_hears_each_change_once_in_order_with_retries(system):
    serve, receiver = system
    api = PartnerAPI(serve)
    made = api.call("POST", "/webhook-endpoints", 201, json={
        "url": receiver.url, "description": "Webhooks tier",
        "event_types": ["care_request.created", "care_request.status_changed"]})
    endpoint, secret = made["endpoint"]["id"], made["secret"]
    assert secret.startswith("whsec_")
    assert secret not in str(api.call("GET", f"/webhook-endpoints/{endpoint}", 200))
    receiver.webhook = Webhook(secret)

    dispatch = Dispatch(serve)
    care_requests = [dispatch.create() for _ in range(REQUESTS)]
    for status in MOVES:
        for care_request in care_requests:
            dispatch.move(care_request, status)

    expected = REQUESTS * (1 + len(MOVES))
    assert wait_until(lambda: receiver.processed_count() >= expected), (
        f"{receiver.processed_count()} of {expected} events arrived; log: {serve.log_tail()}")
    assert not receiver.refused, f"deliveries failed verification: {receiver.refused}"
    processed = receiver.processed
    assert len(processed) == expected and len({event["id"] for event in processed}) == expected
    assert {event["partner_id"] for event in processed} == {SUNRISE}
    for care_request in care_requests:
        events = [event for event in processed if event["care_request_id"] == care_request]
        assert [event["id"] for event in events] == sorted(event["id"] for event in events), "out of order"
        assert [event["new_status"] for event in events] == ["requested"] + MOVES
        assert [event["type"] for event in events] == ["care_request.created"] + ["care_request.status_changed"] * 3
        for event in events:  # ids and statuses only: nothing about the patient or the visit
            assert set(event) <= {"id", "type", "care_request_id", "partner_id", "old_status", "new_status",
                                  "window", "eta", "at"}, event

    retried = [f"evt_{event['id']}" for event in processed if receiver.answers(f"evt_{event['id']}")[0] == 500]
    assert retried, "the receiver never answered 500"
    for webhook_id in retried:
        assert receiver.answers(webhook_id)[-1] == 204, f"{webhook_id} was not retried after a 500"

    log = {item["webhook_id"]: item for item in api.call("GET", f"/webhook-endpoints/{endpoint}/deliveries", 200)["items"]}
    assert set(log) == {f"evt_{event['id']}" for event in processed}
    first = log[retried[0]]
    assert first["status"] == "delivered"
    attempts = sorted(first["attempts"], key=lambda attempt: attempt["at"])
    assert [attempt.get("status_code") for attempt in attempts] == receiver.answers(retried[0])
    assert all(isinstance(attempt["latency_ms"], int) for attempt in attempts)
    assert attempts[0].get("next_retry_at") and not attempts[-1].get("next_retry_at")

    # A replay sends the same webhook-id again; the receiver sees it and drops it as a repeat.
    before = len(receiver.answers(retried[0]))
    api.call("POST", f"/webhook-endpoints/{endpoint}/deliveries/{first['id']}/replay", 202)
    assert wait_until(lambda: len(receiver.answers(retried[0])) > before, timeout=30), "the replay did not arrive"
    assert receiver.processed_count() == expected
