"""Published availability per the SMART Scheduling Links specification: `$bulk-publish`'s manifest and its ndjson
files (public, no token, no PHI), every line a valid R4B resource, references resolving Slot → Schedule → Location,
the free slots' three extensions, HTTP caching (ETag, Last-Modified, 304) and `_since`."""
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from fhir_support import (BOOKING_DEEP_LINK, BOOKING_PHONE, FHIR_NDJSON, SERVED_POSTAL_CODE, SERVICE_LINE_SYSTEM,
                          SLOT_CAPACITY, extension, instant, ndjson, outcome, validate)
from station_e2e import DENVER, SUPPORT_PHONE, Station

MARKETS = {DENVER, "3a7e0000-0000-4000-8000-000000000002", "3a7e0000-0000-4000-8000-000000000003"}


def bulk(serve, path="", params=None, headers=None, expect=200):
    answer = requests.get(serve.urls["station"] + "/fhir/r4/$bulk-publish" + path, params=params, headers=headers,
                          timeout=30)
    assert answer.status_code == expect, f"GET {answer.url}: {answer.status_code}, wanted {expect}: {answer.text[:800]}"
    return answer


def fetch(url, headers=None, expect=200):
    answer = requests.get(url, headers=headers, timeout=30)
    assert answer.status_code == expect, f"GET {url}: {answer.status_code}, wanted {expect}: {answer.text[:800]}"
    if expect == 200:
        assert answer.headers["Content-Type"].startswith(FHIR_NDJSON), answer.headers["Content-Type"]
        return [validate(resource) for resource in ndjson(answer.text)]
    return answer


@pytest.fixture(scope="module")
def published(serve):
    """The manifest and every file it lists: {"manifest": …, "Location": [...], "Schedule": [...], "Slot": {market:
    [...]}}."""
    manifest = bulk(serve)
    assert manifest.headers["Content-Type"].startswith("application/json"), manifest.headers["Content-Type"]
    body = manifest.json()
    found = {"manifest": body, "Location": [], "Schedule": [], "Slot": {}}
    for output in body["output"]:
        resources = fetch(output["url"])
        assert {r["resourceType"] for r in resources} <= {output["type"]}, output
        if output["type"] == "Slot":
            market = output["url"].rsplit("/", 1)[1].removesuffix(".ndjson")
            found["Slot"][market] = resources
        else:
            found[output["type"]] += resources
    return found


def test_the_manifest_follows_the_specification(serve, published):
    manifest = published["manifest"]
    assert set(manifest) >= {"transactionTime", "request", "output", "error"}
    assert manifest["error"] == []
    assert abs(instant(manifest["transactionTime"]) - datetime.now(timezone.utc)) < timedelta(minutes=5)
    assert manifest["request"] == serve.urls["station"] + "/fhir/r4/$bulk-publish"
    kinds = [output["type"] for output in manifest["output"]]
    assert kinds.count("Location") == 1 and kinds.count("Schedule") == 1 and kinds.count("Slot") == len(MARKETS)
    base = serve.urls["station"] + "/fhir/r4/$bulk-publish"
    slot_files = [o for o in manifest["output"] if o["type"] == "Slot"]
    assert {o["url"] for o in slot_files} == {f"{base}/slots/{market}.ndjson" for market in MARKETS}
    for output in slot_files:
        states = output.get("extension", {}).get("state")
        assert states and all(len(state) == 2 for state in states), f"a slot file without its state: {output}"
    assert {s for o in slot_files for s in o["extension"]["state"]} == {"CO", "AZ", "NV"}


def test_locations_and_schedules(published):
    locations = {loc["id"]: loc for loc in published["Location"]}
    assert set(locations) == MARKETS
    for location in locations.values():
        assert location["name"] and location.get("description")
        assert location["address"]["state"] and location["address"]["city"]
        assert extension(location, SERVED_POSTAL_CODE), location
        phones = [t for t in location["telecom"] if t["system"] == "phone"]
        assert phones and phones[0]["value"] == SUPPORT_PHONE
        assert any(t["system"] == "url" for t in location["telecom"])
    assert "80202" in extension(locations[DENVER], SERVED_POSTAL_CODE)
    schedules = {s["id"]: s for s in published["Schedule"]}
    for schedule in schedules.values():
        market = schedule["actor"][0]["reference"].removeprefix("Location/")
        assert market in locations, schedule
        coding = schedule["serviceType"][0]["coding"][0]
        assert coding["system"] == SERVICE_LINE_SYSTEM
        assert schedule["id"] == f"{market}.{coding['code'].replace('_', '-')}"
        assert schedule.get("comment"), "the Schedule should say its places are shared by the market's service lines"
        horizon = schedule["planningHorizon"]
        assert timedelta(days=13) <= instant(horizon["end"]) - instant(horizon["start"]) <= timedelta(days=15)
    assert len(schedules) == len(MARKETS) * 3


def test_slots_resolve_and_free_ones_carry_the_booking_link(serve, published):
    schedules = {s["id"]: s for s in published["Schedule"]}
    now = datetime.now(timezone.utc)
    free = 0
    for market, slots in published["Slot"].items():
        assert slots, f"no slots for {market}"
        for slot in slots:
            schedule = schedules[slot["schedule"]["reference"].removeprefix("Schedule/")]
            assert schedule["actor"][0]["reference"] == f"Location/{market}"
            assert instant(slot["start"]) < instant(slot["end"]) <= now + timedelta(days=15)
            wire = slot["id"].rsplit(".", 1)[0]
            assert wire.startswith(market + ".") and slot["id"].endswith(schedule["id"].split(".", 1)[1])
            assert int(wire.rsplit(".", 1)[1]) == int(instant(slot["start"]).timestamp())
            capacity = extension(slot, SLOT_CAPACITY)
            assert len(capacity) == 1 and capacity[0] >= 0
            if slot["status"] == "free":
                free += 1
                assert capacity[0] > 0
                assert extension(slot, BOOKING_DEEP_LINK) == [f"{serve.urls['oss']}/book?slot={wire}"]
                assert extension(slot, BOOKING_PHONE) == [SUPPORT_PHONE]
            else:
                assert slot["status"] == "busy" and not extension(slot, BOOKING_DEEP_LINK)
    assert free, "no free slot anywhere in the next 14 days"


def test_etags_and_last_modified_answer_304(serve, published):
    urls = [serve.urls["station"] + "/fhir/r4/$bulk-publish"] + [o["url"] for o in published["manifest"]["output"]]
    for url in urls:
        first = requests.get(url, timeout=30)
        assert first.status_code == 200
        etag = first.headers["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/"), etag
        assert "max-age=60" in first.headers["Cache-Control"] and "public" in first.headers["Cache-Control"]
        same = requests.get(url, headers={"If-None-Match": etag}, timeout=30)
        assert same.status_code == 304 and not same.content, f"{url}: {same.status_code} {same.text[:300]}"
        since = requests.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}, timeout=30)
        assert since.status_code == 304 and not since.content, f"{url}: {since.status_code}"
        other = requests.get(url, headers={"If-None-Match": '"something-else"'}, timeout=30)
        assert other.status_code == 200 and other.content


def test_since_narrows_to_what_changed(serve, published):
    station = Station(serve.urls["station"], serve.urls["identity"], serve.secrets())
    window = station.free_windows(first_day=3, last_day=6)[0]
    time.sleep(1.1)
    mark = datetime.now(timezone.utc).replace(microsecond=0)
    time.sleep(1.1)
    station.create_sunrise_request(window, complaint="FHIR tier, _since")
    since = mark.isoformat().replace("+00:00", "Z")
    manifest = bulk(serve, params={"_since": since}).json()
    assert parse_qs(urlparse(manifest["request"]).query)["_since"] == [since]
    changed = {}
    for output in manifest["output"]:
        assert parse_qs(urlparse(output["url"]).query)["_since"] == [since], output["url"]
        changed[(output["type"], output["url"].split("?")[0].rsplit("/", 1)[1])] = fetch(output["url"])
    denver = changed[("Slot", f"{DENVER}.ndjson")]
    start = int(instant(window["start"]).timestamp())
    assert any(slot["id"].startswith(f"{DENVER}.{start}.") for slot in denver), [s["id"] for s in denver]
    assert len(denver) < len(published["Slot"][DENVER])
    for slot in denver:
        assert instant(slot["meta"]["lastUpdated"]) > mark
    assert all(not resources for (kind, _), resources in changed.items() if kind == "Location"), "markets unchanged"
    for bad in ["yesterday", "2026-13-45T00:00:00Z"]:
        answer = bulk(serve, params={"_since": bad}, expect=400)
        outcome(answer, "invalid")
        validate(answer.json())
