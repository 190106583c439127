"""What the FHIR tier needs besides a `selfsched serve`: EHR keys made here with `cryptography`, RFC 7523 client
assertions signed by PyJWT (RS384), SMART Backend Services tokens, and the check every resource goes through:
`fhir.resources`' R4B models (a third-party FHIR library), plus the few rules of ours those models leave open."""
import json
import time
import uuid
from datetime import datetime

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fhir.resources.R4B import get_fhir_model_class

MERCY = "5a7e0000-0000-4000-8000-000000000002"
FHIR_JSON = "application/fhir+json"
FHIR_NDJSON = "application/fhir+ndjson"
MRN_SYSTEM = "https://selfscheduling.example/fhir/sid/mrn"
PARTNER_SYSTEM = "https://selfscheduling.example/fhir/sid/partner"
EXPRESS_USER_SYSTEM = "https://selfscheduling.example/fhir/sid/express-user"
SERVICE_LINE_SYSTEM = "https://selfscheduling.example/fhir/CodeSystem/service-line"
OUR_EXTENSIONS = "https://selfscheduling.example/fhir/StructureDefinition/"
CARE_REQUEST_STATUS = OUR_EXTENSIONS + "care-request-status"
SERVED_POSTAL_CODE = OUR_EXTENSIONS + "served-postal-code"
SMART = "http://fhir-registry.smarthealthit.org/StructureDefinition/"
BOOKING_DEEP_LINK = SMART + "booking-deep-link"
BOOKING_PHONE = SMART + "booking-phone"
SLOT_CAPACITY = SMART + "slot-capacity"
SUBSETTED = ("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "SUBSETTED")
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

# Codes the R4B models accept as any string: the value sets, checked here.
CODES = {
    "Patient": {"gender": {"male", "female", "other", "unknown"}},
    "ServiceRequest": {"status": {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
                       "intent": {"order"}},
    "Appointment": {"status": {"proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
                               "entered-in-error", "checked-in", "waitlist"}},
    "Slot": {"status": {"busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error"}},
    "Bundle": {"type": {"searchset"}},
    "OperationOutcome": {},
}


def validate(resource):
    """The resource through its R4B model (unknown elements, wrong types, bad ids, instants and references fail),
    each Bundle entry through its own type's model, and the codes of CODES. Returns the resource."""
    assert isinstance(resource, dict) and "resourceType" in resource, f"not a FHIR resource: {str(resource)[:300]}"
    kind = resource["resourceType"]
    get_fhir_model_class(kind).model_validate(resource)
    for element, allowed in CODES.get(kind, {}).items():
        if element in resource:
            assert resource[element] in allowed, f"{kind}.{element} {resource[element]!r} is not one of {allowed}"
    if kind == "OperationOutcome":
        issue = resource["issue"][0]
        assert issue["severity"] == "error" and issue["code"] in {
            "invalid", "not-found", "forbidden", "login", "not-supported", "exception", "security",
            "processing"}, resource
    for entry in resource.get("entry", []) if kind == "Bundle" else []:
        validate(entry["resource"])
    return resource


def validating_hook(response, *args, **kwargs):
    """A `requests` response hook: every JSON body a FHIR client receives is validated as it arrives."""
    kind = response.headers.get("Content-Type", "")
    if response.content and ("json" in kind):
        validate(response.json())
    return response


def fhir_get(url, token=None, params=None, headers=None, expect=200):
    """A GET of the FHIR API, its answer's media type and body checked; returns the response."""
    sent = {"Accept": FHIR_JSON, **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    answer = requests.get(url, params=params, headers=sent, timeout=15)
    assert answer.status_code == expect, f"GET {answer.url}: {answer.status_code}, wanted {expect}: {answer.text[:800]}"
    if answer.content:
        assert answer.headers["Content-Type"].startswith(FHIR_JSON), (answer.url, answer.headers["Content-Type"])
        validate(answer.json())
    return answer


def outcome(answer, code):
    """The OperationOutcome of an error answer, its first issue's code `code`."""
    body = answer.json()
    assert body["resourceType"] == "OperationOutcome", body
    assert body["issue"][0]["code"] == code, body
    assert body["issue"][0].get("diagnostics"), body
    return body


class EHRKey:
    """An EHR's RSA key pair, made here; only the PEM public key leaves (pasted on Express's page)."""

    def __init__(self):
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_pem = self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        self.client_id = None
        self.key_id = None
        self.token_url = None
        self.fhir_base = None

    def assertion(self, audience=None, lifetime=240, alg="RS384", **claims):
        """A client assertion per RFC 7523 / SMART Backend Services, signed by PyJWT."""
        now = int(time.time())
        body = {"iss": self.client_id, "sub": self.client_id, "aud": audience or self.token_url,
                "exp": now + lifetime, "iat": now, "jti": str(uuid.uuid4()), **claims}
        headers = {"kid": self.key_id} if self.key_id else {}
        return jwt.encode(body, self.private, algorithm=alg, headers=headers)

    def token_answer(self, scope=None, assertion=None):
        form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": assertion or self.assertion()}
        if scope:
            form["scope"] = scope
        return requests.post(self.token_url, data=form, timeout=15)

    def token(self, scope="system/*.read"):
        answer = self.token_answer(scope)
        assert answer.status_code == 200, f"no token for {self.client_id}: {answer.status_code} {answer.text}"
        return answer.json()


def claims_of(token):
    """A JWT's claims, unverified (the test reads what Identity put in; Station verifies)."""
    return jwt.decode(token, options={"verify_signature": False})


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def ndjson(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def extension(resource, url):
    """The values of the resource's extensions with this URL."""
    found = []
    for item in resource.get("extension", []):
        if item["url"] == url:
            found.append(next(value for key, value in item.items() if key.startswith("value")))
    return found
