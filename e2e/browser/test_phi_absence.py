"""PHI absence (issue 17, "Proven continuously"; issue 19, "without a byte of PHI"): after the browser scenarios, no
demo patient's name, birth date, phone number or street address, and none of the free text the scenarios typed, is in
the serve log, the analytics file, any batch the analytics collector received, the audit export, Console's audit
events or any URL the browsers requested."""
import base64
import json
import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from phi_search import KNOWN_PATIENTS, TYPED_TEXT, Needles, Patient, station_patients
from selfsched_e2e import ROOT

after_scenarios = pytest.mark.after_browser_scenarios


@pytest.fixture(scope="module")
def data_dir(system):
    if "data_dir" not in system:
        pytest.skip("a deployment started elsewhere: its logs, analytics and audit trail are not on this machine")
    return Path(system["data_dir"])


@pytest.fixture(scope="module")
def needles(system):
    patients = list(KNOWN_PATIENTS)
    if "data_dir" in system:
        stored = station_patients(system["data_dir"])
        assert len(stored) >= 80, f"expected the demo patients in Station's database, read {len(stored)}"
        patients += stored
    return Needles(patients, TYPED_TEXT)


@pytest.fixture
def scenarios_ran(request_log):
    if request_log.browsers == 0:
        pytest.skip("no browser scenario ran in this session: nothing to search after")
    return request_log


def assert_none(findings):
    assert not findings, f"{len(findings)} PHI finding(s):\n" + "\n".join(findings[:40])


def lines_of(path):
    assert path.exists(), f"{path} is missing"
    return [(f"{path.name}:{number}", line) for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)]


def test_the_search_finds_phi_in_every_form_it_takes():
    needles = Needles(KNOWN_PATIENTS + [Patient("Renée", "O'Brien", "1930-01-05", "(303) 555-0612", "2513 Colfax Ave")],
                      TYPED_TEXT)
    cursor = base64.urlsafe_b64encode("Whitfield\u0000Eleanor".encode()).decode().rstrip("=")
    leaks = ["/patients?q=whitfield", f"/patients?cursor={cursor}", json.dumps({"q": "Renée"}), "obrien",
             "/x?name=Nora+Newcomer", "call 3035550100", "+1 (303) 555-0177", "1938-04-12", "born 04/12/1938",
             "Apr 12, 1938", "patient%20pat", "complaint=Sudden+chest+pressure", "2513 Colfax Ave",
             '{"street":"2513 COLFAX AVE, Apt 3"}', "line1=2513+Colfax+Ave", "Dizzy since the new pills",
             '{"properties":{"note":"admitted overnight"}}']
    for leak in leaks:
        assert needles.search("text", [("", leak)]), f"missed {leak!r}"
    innocent = ["patient@example.com signed in", "/oss/patients tenant", "pattern", "newcomers",
                "12345550100", "1938-04-123", '{"status":200,"path":"/partner/drafts/1ab3"}', "Colfax Ave 2513x",
                "12513 Colfax Ave", '{"event":"Onboarding Step Completed","properties":{"step":"location"}}']
    for text in innocent:
        assert not needles.search("text", [("", text)]), f"false finding in {text!r}"


@after_scenarios
def test_no_phi_in_any_url_the_browsers_requested(scenarios_ran, needles):
    assert scenarios_ran.unrecorded == 0, \
        f"{scenarios_ran.unrecorded} browsers loaded pages but Chrome's performance log was empty: is it on?"
    urls = list(dict.fromkeys(scenarios_ran.urls))
    assert_none(needles.search("URL", [(url, url) for url in urls]))


@after_scenarios
def test_no_phi_in_the_serve_log(scenarios_ran, data_dir, needles):
    assert_none(needles.search("log", lines_of(data_dir / "serve.log")))


@after_scenarios
def test_no_phi_in_the_analytics_file(scenarios_ran, data_dir, needles):
    """The embedded default's JSON lines: every app's events (Express, OSS, Console)."""
    assert_none(needles.search("analytics", lines_of(data_dir / "analytics.jsonl")))


@after_scenarios
def test_no_phi_in_what_the_analytics_collector_received(scenarios_ran, system, needles):
    """Every request's body as it arrived at the collector (collector.py), refused or accepted, message by message
    and whole (a value split over fields would show in neither alone)."""
    if "collector" not in system:
        pytest.skip("a deployment started elsewhere sends its analytics where it is configured to")
    received = system["collector"].received()
    assert received, "the collector received nothing during the scenarios"
    items = []
    for request in received:
        items.append((f"request {request.number} (HTTP {request.status})", request.body))
        items += [(f"request {request.number} message {m.get('messageId')}", json.dumps(m, ensure_ascii=False))
                  for m in request.messages]
    assert_none(needles.search("collector", items))


@after_scenarios
def test_no_phi_in_the_audit_export(scenarios_ran, data_dir, needles):
    binary = os.environ.get("SELFSCHED_BIN", str(ROOT / ".build" / "debug" / "selfsched"))
    export = subprocess.run([binary, "audit", "export", "--data-dir", str(data_dir)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stderr[-2000:]
    events = [line for line in export.stdout.splitlines() if '"action"' in line]
    assert events, "the audit export holds no events after the scenarios:\n" + export.stdout[-2000:]
    output = (export.stdout + export.stderr).splitlines()
    assert_none(needles.search("audit export", [(f"line {n}", line) for n, line in enumerate(output, 1)]))


@after_scenarios
def test_no_phi_in_consoles_audit_events(scenarios_ran, data_dir, needles):
    """Console audits every page that shows PHI by ids (who, which requests and patients, the decision)."""
    path = data_dir / "console.sqlite"
    if not path.exists():
        pytest.skip("Console did not run (a binary without it)")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        rows = [" ".join(str(value) for value in row) for row in db.execute("SELECT * FROM audit_events")]
    assert rows, "Console audited nothing during the scenarios"
    assert_none(needles.search("Console audit", [(f"row {n}", row) for n, row in enumerate(rows, 1)]))
