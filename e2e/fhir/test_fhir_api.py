"""Station's FHIR R4 API as an EHR integration uses it: a token by private_key_jwt (assertion signed here by PyJWT),
then `fhirpy` (a third-party FHIR client) reading and searching every resource type, each answer validated by
`fhir.resources`' R4B models as it arrives; partner scoping; the result parameters; errors as OperationOutcome."""
import sqlite3
import uuid
from pathlib import Path

import pytest
import requests
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ResourceNotFound

from fhir_support import (CARE_REQUEST_STATUS, EXPRESS_USER_SYSTEM, FHIR_JSON, MERCY, MRN_SYSTEM, PARTNER_SYSTEM,
                          SERVICE_LINE_SYSTEM, SUBSETTED, claims_of, extension, fhir_get, outcome, validate,
                          validating_hook)
from selfsched_e2e import user_token
from station_e2e import SUNRISE, Station

TYPES = ["Patient", "ServiceRequest", "Appointment", "Location", "Organization"]


def fhir_client(key, token):
    return SyncFHIRClient(key.fhir_base, authorization=f"Bearer {token}", extra_headers={"Accept": FHIR_JSON},
                          requests_config={"hooks": {"response": validating_hook}, "timeout": 15})


def plain(resource):
    return validate(resource.serialize())


@pytest.fixture(scope="module")
def tokens(ehr):
    return {partner: key.token()["access_token"] for partner, key in ehr.items()}


@pytest.fixture(scope="module")
def clients(ehr, tokens):
    return {partner: fhir_client(ehr[partner], tokens[partner]) for partner in ehr}


@pytest.fixture(scope="module")
def mercy_request(serve):
    """A care request a Mercy user made through Express (as OSS files it at the end of the partner's flow), with
    the reason they typed: (its id, the user id, the reason)."""
    station = Station(serve.urls["station"], serve.urls["identity"], serve.secrets())
    patient = station.get(f"/v1/partners/{MERCY}/patients?q=okafor")["items"][0]["id"]
    user, reason = str(uuid.uuid4()), "FHIR tier: swelling in both legs"
    body = {
        "patient_id": patient, "partner_id": MERCY, "service_line_id": station.get("/v1/service-lines")[0]["id"],
        "source": "express", "chief_complaint": reason, "created_by_user_id": user,
        "visit_address": {"line1": "200 W Van Buren St", "city": "Phoenix", "state": "AZ", "zip": "85003"},
        "requester": {"name": "Front Desk", "phone": "602-555-0100", "relationship": "Facility staff"},
        "screening": {"questionnaire_version": "2024-1", "answers": {}, "outcome": "self_schedule",
                      "reason_codes": []},
    }
    answer = station.call("POST", "/v1/care-requests", body, key=str(uuid.uuid4()))
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["id"], user, reason


@pytest.fixture(scope="module")
def mercy_world(clients, mercy_request):
    """Everything Mercy's token finds, by type (searches followed through their next links)."""
    return {kind: [plain(r) for r in clients["mercy"].resources(kind).limit(50).fetch_all()] for kind in TYPES}


def test_the_token_is_a_smart_backend_token_bound_to_the_partner(ehr):
    answer = ehr["mercy"].token()
    assert answer["token_type"].lower() == "bearer" and answer["expires_in"] <= 300
    assert set(answer["scope"].split()) == {"system/*.read"}
    claims = claims_of(answer["access_token"])
    assert claims["sub"] == ehr["mercy"].client_id and claims["partner_id"] == MERCY and claims["aud"] in (
        "station", ["station"])
    narrower = ehr["mercy"].token("system/Patient.read")
    assert narrower["scope"] == "system/Patient.read"


def test_identity_refuses_a_replayed_or_misaddressed_assertion(ehr):
    key = ehr["mercy"]
    assertion = key.assertion()
    assert key.token_answer(assertion=assertion).status_code == 200
    again = key.token_answer(assertion=assertion)
    assert again.status_code == 401 and again.json()["error"] == "invalid_client", again.text
    wrong = key.token_answer(assertion=key.assertion(audience="http://elsewhere.example/token"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client", wrong.text
    other = ehr["sunrise"]
    forged = other.token_answer(assertion=key.assertion(iss=other.client_id, sub=other.client_id))
    assert forged.status_code == 401, f"Mercy's key signed in as Sunrise's client: {forged.text}"


def test_metadata_and_smart_configuration(serve, ehr):
    base = ehr["mercy"].fhir_base
    capability = fhir_get(base + "/metadata").json()
    assert capability["resourceType"] == "CapabilityStatement" and capability["fhirVersion"] == "4.0.1"
    assert capability["kind"] == "instance" and capability["status"] == "active" and "json" in capability["format"]
    assert capability["implementation"]["url"] == base
    rest = capability["rest"][0]
    assert rest["mode"] == "server"
    codings = [c for concept in rest["security"]["service"] for c in concept["coding"]]
    assert any(c["code"] == "SMART-on-FHIR" for c in codings), rest["security"]
    oauth = [e for e in rest["security"]["extension"] if e["url"].endswith("/oauth-uris")][0]
    assert {e["url"]: e.get("valueUri") for e in oauth["extension"]}["token"] == ehr["mercy"].token_url
    listed = {resource["type"]: resource for resource in rest["resource"]}
    assert set(listed) == set(TYPES), sorted(listed)
    for kind, resource in listed.items():
        assert {i["code"] for i in resource["interaction"]} == {"read", "search-type"}, resource
        assert "_id" in {p["name"] for p in resource["searchParam"]}, resource
    for url in [base + "/.well-known/smart-configuration", serve.urls["station"] + "/.well-known/smart-configuration"]:
        smart = requests.get(url, timeout=10)
        assert smart.status_code == 200, smart.text
        config = smart.json()
        assert config["token_endpoint"] == ehr["mercy"].token_url
        assert "private_key_jwt" in config["token_endpoint_auth_methods_supported"]
        assert "RS384" in config["token_endpoint_auth_signing_alg_values_supported"]
        assert config["grant_types_supported"] == ["client_credentials"]
        assert "client-confidential-asymmetric" in config["capabilities"]
        assert "system/*.read" in config["scopes_supported"]


def test_fhirpy_finds_every_resource_type_of_the_partner(mercy_world):
    for kind in ["Patient", "ServiceRequest", "Appointment", "Location", "Organization"]:
        assert mercy_world[kind], f"Mercy's token found no {kind}"
    assert [o["id"] for o in mercy_world["Organization"]] == [MERCY]
    organization = mercy_world["Organization"][0]
    assert organization["name"] == "Mercy Home Health" and organization["active"] is True
    assert {(i["system"], i["value"]) for i in organization["identifier"]} >= {(PARTNER_SYSTEM, MERCY)}
    for patient in mercy_world["Patient"]:
        assert patient["managingOrganization"]["reference"] == f"Organization/{MERCY}"
        mrn = [i for i in patient["identifier"] if i["system"] == MRN_SYSTEM]
        assert mrn and mrn[0]["type"]["coding"][0]["code"] == "MR", patient["identifier"]
        assert patient["name"][0]["family"] and patient["meta"]["lastUpdated"]


def test_service_requests_map_our_care_requests(clients, mercy_world, mercy_request):
    patients = {p["id"] for p in mercy_world["Patient"]}
    markets = {location["id"] for location in mercy_world["Location"]}
    expected = {"pending_triage": "active", "requested": "active", "accepted": "active", "scheduled": "active",
                "on_route": "active", "on_scene": "active", "complete": "completed", "archived": "revoked"}
    requesters = set()
    for request in mercy_world["ServiceRequest"]:
        ours = extension(request, CARE_REQUEST_STATUS)
        assert len(ours) == 1 and request["status"] == expected[ours[0]], request
        assert request["intent"] == "order"
        assert request["subject"]["reference"].removeprefix("Patient/") in patients
        assert request["locationReference"][0]["reference"].removeprefix("Location/") in markets
        lines = request.get("code", {}).get("coding", []) + [
            c for concept in request.get("category", []) for c in concept["coding"]]
        assert any(c["system"] == SERVICE_LINE_SYSTEM and c.get("display") for c in lines), request
        # docs/FHIR.md: a partner's user by identifier, the partner's Organization when its system sent it without
        # a user, the Patient when the patient made it, none for a request taken on our phone line; the reason only
        # where the partner supplied it.
        requester = request.get("requester")
        if requester is None or requester.get("reference", "").startswith("Patient/"):
            assert "reasonCode" not in request, f"a reason the partner did not write: {request}"
        if requester is None:
            continue
        requesters.add(requester.get("reference", "").split("/")[0] or requester["identifier"]["system"])
        if "reference" in requester:
            assert requester["reference"] in (request["subject"]["reference"], f"Organization/{MERCY}"), requester
        else:
            assert requester["identifier"]["system"] == EXPRESS_USER_SYSTEM
            assert requester["display"] == "Mercy Home Health user", requester
    assert requesters, "no ServiceRequest names its requester"
    made, user, reason = mercy_request
    ours = next(r for r in mercy_world["ServiceRequest"] if r["id"] == made)
    assert ours["requester"] == {"identifier": {"system": EXPRESS_USER_SYSTEM, "value": user},
                                 "display": "Mercy Home Health user"}, ours
    assert [c["text"] for c in ours["reasonCode"]] == [reason] and extension(ours, CARE_REQUEST_STATUS) == ["requested"]
    statuses = {extension(r, CARE_REQUEST_STATUS)[0] for r in mercy_world["ServiceRequest"]}
    assert {"complete", "archived", "requested"} <= statuses, statuses
    closed = clients["mercy"].resources("ServiceRequest").search(status="completed,revoked")
    done = [plain(r) for r in closed.fetch_all()]
    assert done and {r["status"] for r in done} == {"completed", "revoked"}
    assert {r["id"] for r in done} == {r["id"] for r in mercy_world["ServiceRequest"] if r["status"] != "active"}
    one = mercy_world["ServiceRequest"][0]
    read = plain(clients["mercy"].reference("ServiceRequest", one["id"]).to_resource())
    assert read == one
    by_patient = clients["mercy"].resources("ServiceRequest").search(patient=one["subject"]["reference"]).fetch_all()
    assert one["id"] in {r["id"] for r in by_patient}
    assert {r["subject"]["reference"] for r in by_patient} == {one["subject"]["reference"]}


def test_appointments_follow_windows_and_arrival_estimates(clients, mercy_world):
    requests_by_id = {r["id"]: r for r in mercy_world["ServiceRequest"]}
    expected = {"pending_triage": "proposed", "requested": "proposed", "accepted": "pending", "scheduled": "booked",
                "on_route": "booked", "on_scene": "arrived", "complete": "fulfilled", "archived": "cancelled"}
    for appointment in mercy_world["Appointment"]:
        based_on = appointment["basedOn"][0]["reference"].removeprefix("ServiceRequest/")
        assert based_on == appointment["id"] and based_on in requests_by_id
        request = requests_by_id[based_on]
        assert appointment["status"] == expected[extension(request, CARE_REQUEST_STATUS)[0]], appointment
        assert appointment["start"] < appointment["end"]
        if "occurrencePeriod" in request:
            assert appointment["requestedPeriod"][0]["start"] == request["occurrencePeriod"]["start"]
        actors = {p["actor"]["reference"] for p in appointment["participant"]}
        assert request["subject"]["reference"] in actors and request["locationReference"][0]["reference"] in actors
    without = [r for r in mercy_world["ServiceRequest"] if "occurrencePeriod" not in r]
    for request in without[:3]:
        with pytest.raises(ResourceNotFound):
            clients["mercy"].reference("Appointment", request["id"]).to_resource()
    booked = [plain(a) for a in clients["mercy"].resources("Appointment").search(status="booked").fetch_all()]
    assert {a["status"] for a in booked} <= {"booked"}
    first = min(mercy_world["Appointment"], key=lambda a: a["start"])
    later = clients["mercy"].resources("Appointment").search(date__ge=first["start"][:10]).fetch_all()
    assert all(a["start"][:10] >= first["start"][:10] for a in later) and later


def test_patient_searches(clients, mercy_world):
    client = clients["mercy"]
    patient = next(p for p in mercy_world["Patient"] if p["name"][0]["family"] == "Okafor")
    mrn = next(i["value"] for i in patient["identifier"] if i["system"] == MRN_SYSTEM)
    found = lambda **params: {p["id"] for p in client.resources("Patient").search(**params).fetch_all()}  # noqa: E731
    assert patient["id"] in found(name="oka")
    assert patient["id"] in found(family="OKAFOR")
    assert patient["id"] in found(given="marg")
    assert found(birthdate=patient["birthDate"]) >= {patient["id"]}
    assert found(identifier=mrn) == {patient["id"]}
    assert found(identifier=f"{MRN_SYSTEM}|{mrn}") == {patient["id"]}
    assert found(_id=patient["id"]) == {patient["id"]}
    assert found(name="zzzz-nobody") == set()
    assert plain(client.reference("Patient", patient["id"]).to_resource())["birthDate"] == patient["birthDate"]


def test_next_links_are_followed_to_the_end(clients, ehr, tokens, mercy_world):
    everyone = {p["id"] for p in mercy_world["Patient"]}
    assert len(everyone) > 3, "too few patients to page"
    paged = [plain(p) for p in clients["mercy"].resources("Patient").limit(2).fetch_all()]
    assert len(paged) == len(everyone) and {p["id"] for p in paged} == everyone
    first = fhir_get(ehr["mercy"].fhir_base + "/Patient", tokens["mercy"], {"_count": 2}).json()
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert len(first["entry"]) == 2 and links["next"].startswith(ehr["mercy"].fhir_base + "/Patient?")
    for entry in first["entry"]:
        assert entry["fullUrl"] == f"{ehr['mercy'].fhir_base}/Patient/{entry['resource']['id']}"
        assert entry["search"]["mode"] == "match"
    second = fhir_get(links["next"], tokens["mercy"]).json()
    assert not {e["resource"]["id"] for e in second["entry"]} & {e["resource"]["id"] for e in first["entry"]}


def test_another_partners_resources_are_not_found_and_never_listed(clients, mercy_world):
    sunrise = clients["sunrise"]
    for kind in ["Patient", "ServiceRequest", "Appointment"]:
        theirs = mercy_world[kind][0]["id"]
        with pytest.raises(ResourceNotFound):
            sunrise.reference(kind, theirs).to_resource()
        seen = {r["id"] for r in sunrise.resources(kind).limit(50).fetch_all()}
        assert seen and not seen & {r["id"] for r in mercy_world[kind]}, f"Sunrise's {kind} search shows Mercy's"
        assert not sunrise.resources(kind).search(_id=theirs).fetch_all()
    with pytest.raises(ResourceNotFound):
        sunrise.reference("Organization", MERCY).to_resource()
    assert [o["id"] for o in sunrise.resources("Organization").fetch_all()] == [SUNRISE]
    patient = mercy_world["Patient"][0]["id"]
    assert not sunrise.resources("ServiceRequest").search(patient=patient).fetch_all()
    mrn = next(i["value"] for i in mercy_world["Patient"][0]["identifier"] if i["system"] == MRN_SYSTEM)
    assert not sunrise.resources("Patient").search(identifier=mrn).fetch_all()
    # Markets are reference data: both partners read them.
    assert plain(sunrise.reference("Location", mercy_world["Location"][0]["id"]).to_resource())


def test_result_parameters(ehr, tokens, mercy_world):
    base, token = ehr["mercy"].fhir_base, tokens["mercy"]
    count = fhir_get(base + "/ServiceRequest", token, {"_summary": "count"}).json()
    assert count["type"] == "searchset" and count["total"] == len(mercy_world["ServiceRequest"])
    assert not count.get("entry")
    patients = fhir_get(base + "/Patient", token, {"_summary": "count"}).json()
    assert patients["total"] == len(mercy_world["Patient"])
    subset = fhir_get(base + "/Patient", token, {"_elements": "gender", "_count": 5}).json()
    for entry in subset["entry"]:
        resource = entry["resource"]
        assert set(resource) <= {"resourceType", "id", "meta", "gender"}, resource
        assert any((t["system"], t["code"]) == SUBSETTED for t in resource["meta"]["tag"]), resource["meta"]
    one = mercy_world["Patient"][0]["id"]
    read = fhir_get(f"{base}/Patient/{one}", token, {"_elements": "birthDate"}).json()
    assert "name" not in read and read["birthDate"]
    for params in [{"_format": "xml"}, {"_format": "application/fhir+xml"}]:
        outcome(fhir_get(base + "/Patient", token, params, expect=406), "not-supported")
    outcome(fhir_get(base + "/Patient", token, headers={"Accept": "application/fhir+xml"}, expect=406), "not-supported")
    assert fhir_get(base + "/Patient", token, {"_format": "json", "_count": 1}).json()["entry"]
    for params in [{"colour": "blue"}, {"_count": "0"}, {"_count": "201"}, {"_count": "many"},
                   {"_summary": "text"}, {"birthdate": "gt1940-01-01"}, {"birthdate": "1940"}]:
        bad = outcome(fhir_get(base + "/Patient", token, params, expect=400), "invalid")
        if "colour" in params:
            assert "name" in bad["issue"][0]["diagnostics"], bad
    outcome(fhir_get(base + "/ServiceRequest", token, {"authored": "soon"}, expect=400), "invalid")
    outcome(fhir_get(base + "/Medication", token, expect=404), "not-supported")
    outcome(fhir_get(f"{base}/Patient/{'0' * 8}-0000-4000-8000-000000000000", token, expect=404), "not-found")


def test_tokens_are_checked(ehr, tokens, mercy_world, serve):
    base = ehr["mercy"].fhir_base
    missing = fhir_get(base + "/Patient", expect=401)
    outcome(missing, "login")
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    outcome(fhir_get(base + "/Patient", "not-a-token", expect=401), "login")
    narrow = ehr["mercy"].token("system/Patient.read")["access_token"]
    assert fhir_get(base + "/Patient", narrow).json()["entry"]
    denied = outcome(fhir_get(base + "/ServiceRequest", narrow, expect=403), "forbidden")
    assert "ServiceRequest" in denied["issue"][0]["diagnostics"]
    # A person's token (Express's own sign-in client) is no machine token: refused at the FHIR API.
    person = user_token(serve.urls["identity"], "express", "express-web", serve.secrets()["express-web"],
                        serve.urls["express"] + "/auth/callback", "scheduler@sunrise.example")
    refused = requests.get(base + "/Patient", headers={"Authorization": f"Bearer {person}"}, timeout=10)
    assert refused.status_code in (401, 403), refused.text
    assert validate(refused.json())["resourceType"] == "OperationOutcome"
    assert requests.get(base + "/metadata", timeout=10).status_code == 200  # public


def test_fhirpy_reads_locations_and_organization(clients, mercy_world):
    client = clients["mercy"]
    locations = mercy_world["Location"]
    assert {loc["name"] for loc in locations} >= {"Denver", "Phoenix", "Las Vegas"}
    phoenix = next(loc for loc in locations if loc["name"] == "Phoenix")
    assert plain(client.reference("Location", phoenix["id"]).to_resource())["id"] == phoenix["id"]
    in_az = [plain(r) for r in client.resources("Location").search(**{"address-state": "AZ"}).fetch_all()]
    assert [loc["id"] for loc in in_az] == [phoenix["id"]]
    served = [e for e in phoenix.get("extension", []) if e["url"].endswith("/served-postal-code")]
    by_zip = client.resources("Location").search(**{"address-postalcode": served[0]["valueString"]}).fetch_all()
    assert [loc["id"] for loc in by_zip] == [phoenix["id"]]
    assert plain(client.reference("Organization", MERCY).to_resource())["name"] == "Mercy Home Health"


def test_every_read_and_search_is_audited_by_ids_only(serve, ehr, mercy_world):
    """Station's audit_events (read from its SQLite file): who read what, a 404 of another partner's resource as
    not_found and a refused scope as denied, with ids and never a name, a birth date or an MRN."""
    with sqlite3.connect(f"file:{Path(serve.data_dir) / 'station.sqlite'}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(row) for row in db.execute("SELECT * FROM audit_events")]
    mine = [row for row in rows if row["client_id"] == ehr["mercy"].client_id]
    theirs = [row for row in rows if row["client_id"] == ehr["sunrise"].client_id]
    assert {row["partner_id"].lower() for row in mine} == {MERCY}
    patient = mercy_world["Patient"][0]["id"]
    assert any(row["action"] == "fhir.search" and row["resource_type"] == "Patient" and row["outcome"] == "success"
               and patient in row["patient_ids"].split() for row in mine), "Mercy's Patient searches not audited"
    assert any(row["action"] == "fhir.read" and row["resource_type"] == "Patient" and row["outcome"] == "not_found"
               and row["resource_id"] == patient for row in theirs), "Sunrise's 404 read of Mercy's Patient not audited"
    assert any(row["outcome"] == "denied" and row["resource_type"] == "ServiceRequest" for row in mine), (
        "the narrow token's refused ServiceRequest search not audited")
    text = " ".join(str(value) for row in rows for value in row.values())
    for person in mercy_world["Patient"]:
        mrn = next(i["value"] for i in person["identifier"] if i["system"] == MRN_SYSTEM)
        for phi in [person["name"][0]["family"], person["birthDate"], mrn]:
            assert phi not in text, f"the audit holds {phi!r}"
