"""Scale-out check of live updates across instances: a browser's event stream is open on one Express instance
while Station's push of an event reaches the OTHER instance; the event must arrive on the stream (through the
live relay over the shared database) within a few seconds.

  live-relay-check.py <stream instance URL> <receiving instance URL> <data dir>

The event is signed with the deployment's Station events secret (<data dir>/secrets.json), for one of Sunrise's
care requests, with an event id far above Station's (so it can never shadow a real event of this short-lived
deployment)."""
import base64
import hashlib
import hmac
import json
import re
import sys
import threading
import time
from html import unescape

import requests

SUNRISE = "5a7e0000-0000-4000-8000-000000000001"


def signed_in(instance):
    session = requests.Session()
    page = session.get(f"{instance}/care-requests", timeout=10)
    form = {n: unescape(v) for n, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    form.update(email="scheduler@sunrise.example", password="selfsched-demo")
    origin = re.match(r"(https?://[^/]+)", page.url).group(1)
    answer = session.post(origin + unescape(action), data=form, timeout=10)
    assert "/care-requests" in answer.url, answer.url
    return session, re.search(r'data-live-id="([0-9a-f-]{36})"', answer.text).group(1)


def push(instance, secret, event_id, care_request):
    data = {"id": event_id, "type": "care_request.status_changed", "care_request_id": care_request,
            "partner_id": SUNRISE, "old_status": "requested", "new_status": "requested",
            "at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
    body = json.dumps({"type": data["type"], "timestamp": data["at"], "data": data}).encode()
    message, timestamp = f"evt_{event_id}", str(int(time.time()))
    key = base64.b64decode(secret[6:]) if secret.startswith("whsec_") else secret.encode()
    signature = base64.b64encode(hmac.new(key, f"{message}.{timestamp}.".encode() + body, hashlib.sha256).digest())
    answer = requests.post(f"{instance}/internal/v1/station-events", data=body, timeout=10, headers={
        "content-type": "application/json", "webhook-id": message, "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + signature.decode()})
    assert answer.status_code == 204, answer.text


def main(streaming, receiving, data_dir):
    secret = json.load(open(f"{data_dir}/secrets.json"))["station-events"]
    session, care_request = signed_in(streaming)
    stream = session.get(f"{streaming}/care-requests/live", stream=True, timeout=10)
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    event_id = 9_000_000_000 + int(time.time())
    threading.Timer(0.5, push, (receiving, secret, event_id, care_request)).start()
    for line in stream.iter_lines():
        if line.decode() == f"id: {event_id}":
            print(f"live relay: event {event_id} received by {receiving} reached the stream on {streaming}")
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
