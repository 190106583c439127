"""Scale-out check of live updates across instances: a browser's event stream is open on one Express instance
while Station's push of an event reaches the OTHER instance; the event must arrive on the stream (through the
live relay over the shared database) within a few seconds.

  live-relay-check.py <stream instance URL> <receiving instance URL> <data dir>

The event is signed with the deployment's Station events secret (<data dir>/secrets.json), for one of Sunrise's
care requests, with a fresh negative id (minus the time in milliseconds, and `webhook-id` evt_<that id>): a local
event's id, outside Station's sequence. Never one of Station's (a real one's id would make Express ignore Station's
own push of it as a duplicate), never above them (a page rendered after it would resume its stream after that id
and miss Station's next events), and never the same twice (Express keeps the first push of an id, so a second run
with the same id would reach no stream). Express streams a local event without its `id:` line, so a browser's
Last-Event-ID stays at Station's last event: the check knows the event by its care request and the missing id.
Run it as often as needed on one deployment; scale-out-after.sh leaves these receipts (evt_-…) out of its counts."""
import base64
import hashlib
import hmac
import json
import queue
import re
import sys
import time

import requests

from live_sessions import SUNRISE, EventStream, express_signed_in, secret

WAIT_SECONDS = 10


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
    messages = queue.Queue()
    EventStream(session, f"{streaming}/care-requests/live", messages, streaming).open()
    time.sleep(0.5)  # the stream subscribes to this instance's events once its response has begun
    event_id = -int(time.time() * 1000)
    push(receiving, secret(data_dir, "station-events"), event_id, care_request)
    deadline = time.time() + WAIT_SECONDS
    while time.time() < deadline:
        try:
            _, seen_id, data = messages.get(timeout=max(0.1, deadline - time.time()))
        except queue.Empty:
            break
        if data == care_request and seen_id is None:
            print(f"live relay: event {event_id} received by {receiving} reached the stream on {streaming}")
            return 0
    print(f"live relay: event {event_id} received by {receiving} did not reach the stream on {streaming} "
          f"within {WAIT_SECONDS} s")
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
