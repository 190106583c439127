"""One `selfsched serve` for the whole fuzz run, tokens for each API, and a watch on the process: an operation that
makes it exit fails, and the process is started again so that the remaining operations are still fuzzed."""
import base64
import datetime
import hashlib
import hmac
import json
import re
import time
from collections import Counter, defaultdict

import pytest
import requests

from selfsched_e2e import STAFF, machine_token, staff_token, user_token

# Who calls each operation, as in production: (client, audience, scope) for machine clients; "partner user" for the
# Express partner API, whose callers are partner users signed in through Express's own client; ("staff user", email)
# for Station's staff and admin operations, which Console calls with the signed-in staff member's own token.
PARTNER_USER = "admin@sunrise.example"
CALLERS = {
    "station": ("cli-m2m", "station", None),
    "station:listTriageQueue": ("staff user", STAFF["nurse"]),
    "station:recordTriageOutcome": ("staff user", STAFF["nurse"]),
    "station:getDispatchBoard": ("staff user", STAFF["dispatcher"]),
    "station:setWindowCapacity": ("staff user", STAFF["dispatcher"]),
    "station:getDayPlan": ("staff user", STAFF["dispatcher"]),
    "station:acceptDayPlan": ("staff user", STAFF["dispatcher"]),
    "station:extendVisit": ("staff user", STAFF["dispatcher"]),
    "station:pinVisit": ("staff user", STAFF["dispatcher"]),
    "station:unpinVisit": ("staff user", STAFF["dispatcher"]),
    "station:planDayAgain": ("staff user", STAFF["dispatcher"]),
    **{f"station:{operation}": ("staff user", STAFF["operations_admin"]) for operation in [
        "listPartners", "createPartner", "createMarket", "updateMarket", "listClosures", "addClosure",
        "removeClosure", "createServiceLine", "setServiceLineVisitLength", "listCareTeams", "createCareTeam", "updateCareTeam", "removeCareTeam"]},
    # Console's onboarding of a partner created in Station.
    "express-internal:onboardPartner": ("console-m2m", "express", "express.partners.write"),
    "station:listEvents": ("express-m2m", "station", "station.events.read"),
    # Issue 15: OSS changes and cancels a request for the partner user or patient it acts for; Express searches its
    # partner's requests (the list's filters).
    "station:cancelCareRequest": ("oss-m2m", "station", "station.care_requests.write"),
    "station:rescheduleCareRequest": ("oss-m2m", "station", "station.care_requests.write"),
    "station:searchPartnerCareRequests": ("express-m2m", "station", "station.care_requests.read"),
    # Issue 16: OSS lists the requests of every person a patient account schedules for.
    "station:searchPatientsCareRequests": ("oss-m2m", "station", "station.care_requests.read"),
    "oss": ("express-m2m", "oss", "oss.handoffs.create"),
    "policy": ("oss-m2m", "policy", "policy.check"),
    "identity-management": ("express-m2m", "identity", "identity.accounts.write identity.clients.write"),
    "express-internal:receiveCareRequestCallback": ("oss-m2m", "express", "express.callbacks.write"),
    "express-internal:setPartnerFlag": ("cli-m2m", "express", "express.flags.write"),
    # Only Identity itself holds express.claims.read (it mints that token inside the process); no client may ask
    # for it, so the claims lookup is fuzzed with another machine token of the express audience.
    "express-internal:lookUpIdentityClaims": ("cli-m2m", "express", "express.flags.write"),
    # Station's pushed events carry no bearer token (the Standard Webhooks signature is the credential); the token
    # sent along is ignored.
    "express-internal:receiveStationEvent": ("cli-m2m", "express", "express.flags.write"),
    "express-partner": "partner user",
}
TOKEN_REUSE_SECONDS = 300
REQUEST_TIMEOUT = 20
DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
ZIP_PATTERN = re.compile(r"^[0-9]{5}$")
UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class Fuzz:
    """Sends schemathesis' cases to the running system with a real token, and notices when the process dies."""

    def __init__(self, serve):
        self.serve = serve
        self.tokens = {}
        self.exits = []  # (operation, curl of the request after which the process was gone, exit status)
        self.hangs = []  # (operation, curl of the request after which nothing answered)
        self.exit_recorded_for = None  # the start (Serve.starts) whose exit is in `exits`
        self.statuses = defaultdict(Counter)  # operation -> status -> count
        self.nonconforming = Counter()  # (operation, status, what) -> count
        self.known = None

    def known_ids(self):
        """Values that exist in the demo data (ids, a served ZIP code, published days and windows, an address in a
        market), so that a case reaches the code behind the lookups."""
        if self.known is None:
            station = self.serve.urls["station"]
            headers = {"Authorization": f"Bearer {self.token('station', '')}"}

            def get(path):
                answer = requests.get(station + path, headers=headers, timeout=10)
                answer.raise_for_status()
                return answer.json()

            partner = claims(self.token("express-partner", ""))["partner_id"]
            markets = get("/v1/markets")
            known = {
                "partner": [partner],
                "market": [m["id"] for m in markets],
                "service_line": [s["id"] for s in get("/v1/service-lines")],
                "patient": [p["id"] for p in get(f"/v1/partners/{partner}/patients?q=Whitfield")["items"]],
                "care_request": [c["id"] for c in get(f"/v1/partners/{partner}/care-requests?limit=5")["items"]],
                "zip": [zip_code for m in markets for zip_code in m["zip_codes"][:1]],
                "date": [(datetime.date.today() + datetime.timedelta(days=n)).isoformat() for n in range(0, 14)],
            }
            known["visit_address"] = [{"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": known["zip"][0]}]
            today, last = known["date"][0], known["date"][-1]
            known["time_window"] = [{"start": w["start"], "end": w["end"]} for w in
                                    get(f"/v1/markets/{known['market'][0]}/availability?from={today}&to={last}")[-20:]]
            self.known = {key: values for key, values in known.items() if values}
        return self.known

    def realistic(self, case):
        """Replaces about half of the well-formed ids, ZIP codes, dates, windows and addresses in the path, the
        `from`/`to`/`date`/`market_id` query and the top level of a JSON body with existing ones (the same half for the same value, so
        a failing case replays); malformed values stay as generated."""
        known = self.known_ids()

        def swap(name, value, kind=None):
            kind = kind or re.sub(r"_?id$", "", re.sub(r"(?<=[a-z])([A-Z])", r"_\1", name).lower())
            if kind in ("time_window", "visit_address"):
                well_formed = isinstance(value, dict)
            else:
                pattern = {"zip": ZIP_PATTERN, "date": DATE_PATTERN}.get(kind, UUID_PATTERN)
                well_formed = isinstance(value, str) and pattern.match(value)
            if kind not in known or not well_formed:
                return value
            digest = int(hashlib.sha256(repr(value).encode()).hexdigest(), 16)
            return value if digest % 2 else known[kind][digest // 2 % len(known[kind])]

        for name, value in list((case.path_parameters or {}).items()):
            case.path_parameters[name] = swap(name, value)
        for name, value in list((case.query or {}).items()):
            if name in ("from", "to", "date"):
                case.query[name] = swap(name, value, kind="date")
            elif name == "market_id":
                case.query[name] = swap(name, value)
        if isinstance(case.body, dict):
            for name, value in list(case.body.items()):
                if name.endswith("_ids") and isinstance(value, list):  # e.g. patient_ids: each one like an id
                    case.body[name] = [swap(name[:-4], item) for item in value]
                else:
                    case.body[name] = swap(name, value)

    def caller(self, api, operation_id):
        return CALLERS.get(f"{api}:{operation_id}") or CALLERS[api]

    def token(self, api, operation_id):
        caller = self.caller(api, operation_id)
        cached = self.tokens.get(caller)
        if cached and time.time() - cached[1] < TOKEN_REUSE_SECONDS:
            return cached[0]
        identity, secrets = self.serve.urls["identity"], self.serve.secrets()
        if caller == "partner user":
            token = user_token(identity, "express", "express-web", secrets["express-web"],
                               self.serve.urls["express"] + "/auth/callback", PARTNER_USER)
        elif caller[0] == "staff user":
            token = staff_token(identity, secrets, caller[1], self.serve.console_url)
        else:
            client, audience, scope = caller
            token = machine_token(identity, client, secrets[client], audience, scope)
        self.tokens[caller] = (token, time.time())
        return token

    def check(self, case, api, base_url):
        """Calls the operation with this case; fails on any 5xx and when the process is gone after the call."""
        from schemathesis.checks import not_a_server_error

        if not self.serve.alive():
            pytest.fail(self.died_message(case), pytrace=False)
        if self.hangs and not self.serve.responsive():
            pytest.fail(self.hung_message(), pytrace=False)
        self.realistic(case)
        operation_id = case.operation.definition.raw.get("operationId", "")
        # Station's events are signed with their own secret; OSS's callbacks with OSS's.
        secret = "station-events" if operation_id == "receiveStationEvent" else "oss-webhook"
        auth = CallerAuth(self.token(api, operation_id), self.serve.secrets().get(secret))
        try:
            response = case.call(base_url=base_url, auth=auth, timeout=REQUEST_TIMEOUT)
        except (requests.ConnectionError, requests.Timeout) as error:
            if not self.serve.alive():
                self.record_exit(case.operation.label, curl(case))
                pytest.fail(self.died_message(case), pytrace=False)
            if isinstance(error, requests.Timeout) and not self.serve.responsive():
                self.hangs.append((case.operation.label, curl(case)))
                pytest.fail(self.hung_message(), pytrace=False)
            raise
        self.statuses[case.operation.label][response.status_code] += 1
        case.validate_response(response, checks=[not_a_server_error])
        self.note_conformance(case, response)

    def note_conformance(self, case, response):
        """Reported, not gated: responses that differ from the document (status, media type, schema)."""
        from schemathesis.checks import content_type_conformance, response_schema_conformance, status_code_conformance

        try:
            case.validate_response(response, checks=[status_code_conformance, content_type_conformance,
                                                     response_schema_conformance])
        except BaseException as group:  # schemathesis raises a group of failures
            for failure in getattr(group, "exceptions", [group]):
                title = getattr(failure, "title", type(failure).__name__)
                self.nonconforming[(case.operation.label, response.status_code, title)] += 1

    def record_exit(self, operation, request):
        """Records the exit of the running process once."""
        if self.exit_recorded_for != self.serve.starts:
            self.exit_recorded_for = self.serve.starts
            self.exits.append((operation, request, self.serve.exit_status()))

    def hung_message(self):
        operation, request = self.hangs[-1]
        return f"selfsched serve stopped answering (even /healthz) after this request to {operation}:\n{request}"

    def died_message(self, case):
        operation, request, status = self.exits[-1] if self.exits else (case.operation.label, "(unknown)", self.serve.exit_status())
        return (f"selfsched serve exited (status {status}) after this request to {operation}:\n{request}\n"
                f"--- end of serve.log ---\n{self.serve.log_tail(2000)}")


def curl(case):
    return case.as_curl_command(headers={"Authorization": "Bearer …"})


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class CallerAuth(requests.auth.AuthBase):
    """The bearer token, and for a webhook delivery a valid Standard Webhooks signature over the exact body sent
    (a fresh timestamp too), so the fuzzed body reaches the handler; a case without the headers stays without."""

    def __init__(self, token, webhook_secret):
        self.token = token
        self.webhook_secret = webhook_secret

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        if "webhook-signature" in request.headers and "webhook-id" in request.headers and self.webhook_secret:
            timestamp = str(int(time.time()))
            request.headers["webhook-timestamp"] = timestamp
            body = request.body or b""
            if isinstance(body, str):
                body = body.encode()
            message = f"{request.headers['webhook-id']}.{timestamp}.".encode() + body
            key = self.webhook_secret
            key = base64.b64decode(key[6:]) if key.startswith("whsec_") else key.encode()
            request.headers["webhook-signature"] = "v1," + base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
        return request


@pytest.fixture(scope="session")
def fuzz(serve, pytestconfig):
    pytestconfig._selfsched_fuzz = Fuzz(serve)
    return pytestconfig._selfsched_fuzz


@pytest.fixture(autouse=True)
def running(serve, fuzz):
    """Starts the process again when an earlier operation made it exit or hang (that operation has failed already)."""
    if not serve.alive():
        fuzz.record_exit("(between operations)", "(no request in flight)")
    if not serve.alive() or not serve.responsive():
        serve.stop()
        serve.start()
    yield


def pytest_terminal_summary(terminalreporter):
    fuzz = getattr(terminalreporter.config, "_selfsched_fuzz", None)
    if fuzz is None:
        return
    from test_openapi import SEED

    terminalreporter.section(f"responses by operation and status (seed {SEED}; SELFSCHED_FUZZ_SEED={SEED} repeats the run)")
    for operation, counts in sorted(fuzz.statuses.items()):
        terminalreporter.write_line(f"{operation}: " + ", ".join(f"{status} ×{n}" for status, n in sorted(counts.items())))
    if fuzz.nonconforming:
        terminalreporter.section("responses that differ from their OpenAPI document (reported, not gated)")
        for (operation, status, what), n in sorted(fuzz.nonconforming.items()):
            terminalreporter.write_line(f"{operation} → {status}: {what} ×{n}")
