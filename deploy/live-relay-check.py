"""Scale-out check of live updates across instances: a browser's event stream is open on one Express instance
while Station's push of an event reaches the OTHER instance; the event must arrive on the stream (through the
live relay over the shared database) within a few seconds.

  live-relay-check.py <stream instance URL> <receiving instance URL> <data dir>

The event is signed with the deployment's Station events secret (<data dir>/secrets.json), for one of Sunrise's
care requests, with event id 0: never one of Station's (they start at 1; a real one's id would make Express ignore
Station's own push of it as a duplicate), never above them (a page rendered after it would resume its stream after
that id and miss Station's next events) and not negative (a local event, sent without its id). Run it once per
deployment: Express takes a second push of event 0 for a duplicate."""
import base64
import hashlib
import hmac
import json
import re
import sys
import threading
import time

import requests

from live_sessions import SUNRISE, express_signed_in, secret


def push(instance, key, event_id, care_request):
    data = {"id": event_id, "type": "care_request.status_changed", "care_request_id": care_request,
            "partner_id": SUNRISE, "old_status": "requested", "new_status": "requested",
            "at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
    body = json.dumps({"type": data["type"], "timestamp": data["at"], "data": data}).encode()
    message, timestamp = f"evt_{event_id}", str(int(time.time()))
    key = base64.b64decode(key[6:]) if key.startswith("whsec_") else key.encode()
    signature = base64.b64encode(hmac.new(key, f"{message}.{timestamp}.".encode() + body, hashlib.sha256).digest())
    answer = requests.post(f"{instance}/internal/v1/station-events", data=body, timeout=10, headers={
        "content-type": "application/json", "webhook-id": message, "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + signature.decode()})
    assert answer.status_code == 204, answer.text


def main(streaming, receiving, data_dir):
    session, page = express_signed_in(streaming)
    care_request = re.search(r'data-live-id="([0-9a-f-]{36})"', page).group(1)
    stream = session.get(f"{streaming}/care-requests/live", stream=True, timeout=10)
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    event_id = 0
    threading.Timer(0.5, push, (receiving, secret(data_dir, "station-events"), event_id, care_request)).start()
    for line in stream.iter_lines():
        if line.decode() == f"id: {event_id}":
            print(f"live relay: event {event_id} received by {receiving} reached the stream on {streaming}")
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
