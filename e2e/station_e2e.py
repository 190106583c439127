"""Station reached as the other services reach it, for the end-to-end tiers that need a care request in a known state
(issue 15's change, cancel and calendar scenarios and their pages): OSS's machine client makes, reads, moves and
cancels requests for a partner or a patient; the command-line client dispatches as a dispatcher's tool would."""
import datetime
import time
import uuid
from zoneinfo import ZoneInfo

import requests

from selfsched_e2e import machine_token

SUNRISE = "5a7e0000-0000-4000-8000-000000000001"
DENVER = "3a7e0000-0000-4000-8000-000000000001"
# Station's support number (StationConfig.supportPhone's default), which a refusal of a change names.
SUPPORT_PHONE = "(303) 555-0100"
OSS_SCOPES = "station.patients.read station.care_requests.read station.care_requests.write"
TOKEN_REUSE_SECONDS = 120


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def window_of(record):
    """A care request's (or a `{"time_window": …}`'s) window as instants, or None."""
    window = record.get("time_window")
    return None if window is None else (instant(window["start"]), instant(window["end"]))


class Station:
    def __init__(self, station_url, identity_url, secrets):
        self.url, self.identity, self.secrets = station_url, identity_url, secrets
        self.tokens = {}

    def token(self, client, scope):
        cached = self.tokens.get((client, scope))
        if cached and time.time() - cached[1] < TOKEN_REUSE_SECONDS:
            return cached[0]
        token = machine_token(self.identity, client, self.secrets[client], "station", scope)
        self.tokens[(client, scope)] = (token, time.time())
        return token

    def call(self, method, path, body=None, key=None, client="oss-m2m", scope=OSS_SCOPES):
        headers = {"Authorization": f"Bearer {self.token(client, scope)}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return requests.request(method, self.url + path, json=body, headers=headers, timeout=15)

    def get(self, path):
        answer = self.call("GET", path)
        assert answer.status_code == 200, f"GET {path}: {answer.status_code} {answer.text[:500]}"
        return answer.json()

    def care_request(self, care_request_id):
        return self.get(f"/v1/care-requests/{care_request_id}")

    def free_windows(self, first_day=2, last_day=6, market=DENVER, places=2):
        """The market's windows `first_day` to `last_day` days from today (Denver's day) with `places` left."""
        today = datetime.datetime.now(ZoneInfo("America/Denver")).date()
        start, end = today + datetime.timedelta(days=first_day), today + datetime.timedelta(days=last_day)
        found = self.get(f"/v1/markets/{market}/availability?from={start}&to={end}")
        windows = [{"start": w["start"], "end": w["end"]} for w in found if w["remaining"] >= places]
        assert len(windows) >= 2, f"fewer than two free windows in {start}…{end}: {found}"
        return windows

    def create_sunrise_request(self, window, complaint="Browser tier, changes"):
        """A care request for Eleanor Whitfield of Sunrise in `window`, made as OSS makes it at the end of a
        partner's flow. Returns its id."""
        body = {
            "patient_id": self.get(f"/v1/partners/{SUNRISE}/patients?q=whitfield")["items"][0]["id"],
            "partner_id": SUNRISE, "service_line_id": self.get("/v1/service-lines")[0]["id"], "source": "express",
            "chief_complaint": complaint, "created_by_user_id": "browser-tier",
            "visit_address": {"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"},
            "requester": {"name": "Browser Tier", "phone": "303-555-0100", "relationship": "Facility staff"},
            "screening": {"questionnaire_version": "2024-1", "answers": {}, "outcome": "self_schedule",
                          "reason_codes": []},
            "time_window": window,
        }
        answer = self.call("POST", "/v1/care-requests", body, key=str(uuid.uuid4()))
        assert answer.status_code in (200, 201), answer.text
        return answer.json()["id"]

    def reschedule(self, care_request_id, window, **scope):
        """Moves the request as OSS does for a partner (`partner_id=`) or a patient (`patient_id=`)."""
        answer = self.call("POST", f"/v1/care-requests/{care_request_id}/reschedule",
                           {"time_window": window, "on_behalf_of": "browser-tier", **scope}, key=str(uuid.uuid4()))
        assert answer.status_code == 200, answer.text
        return answer.json()

    def cancel(self, care_request_id, reason="no_longer_needed", **scope):
        answer = self.call("POST", f"/v1/care-requests/{care_request_id}/cancellation",
                           {"reason": reason, "on_behalf_of": "browser-tier", **scope}, key=str(uuid.uuid4()))
        assert answer.status_code == 200, answer.text
        return answer.json()

    def dispatch(self, care_request_id, to):
        """A dispatcher's move (with an arrival estimate when scheduling)."""
        body = {"to": to}
        if to == "scheduled":
            now = datetime.datetime.now(datetime.timezone.utc)
            body["eta"] = {"start": (now + datetime.timedelta(hours=1)).isoformat(),
                           "end": (now + datetime.timedelta(hours=2)).isoformat()}
        answer = self.call("POST", f"/v1/care-requests/{care_request_id}/status-changes", body,
                           client="cli-m2m", scope="station.dispatch")
        assert answer.status_code == 200, answer.text

    def move_on_route(self, care_request_id):
        """From requested to "on the way", as a dispatcher moves it."""
        for to in ["accepted", "scheduled", "on_route"]:
            self.dispatch(care_request_id, to)
        assert self.care_request(care_request_id)["status"] == "on_route"
