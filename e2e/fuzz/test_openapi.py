"""Schemathesis against every OpenAPI document, on a real `selfsched serve` with real tokens: no operation may
answer 5xx, and no request may make the process exit. Each operation is one test; its examples, its coverage
cases (the edges of every parameter and body: dates, numbers, lengths, missing and malformed values) and a bounded
number of generated cases (SELFSCHED_FUZZ_EXAMPLES, 100 by default) run against it. Each run draws a new seed,
printed at the end; SELFSCHED_FUZZ_SEED=N repeats a run."""
import os
import random

import schemathesis

from selfsched_e2e import ROOT

SEED = int(os.environ.get("SELFSCHED_FUZZ_SEED") or random.randrange(1 << 32))
CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               "stateful": {"enabled": False}},
    "generation": {"max-examples": int(os.environ.get("SELFSCHED_FUZZ_EXAMPLES", "100")), "database": "none"},
    "suppress-health-check": ["all"],
})


def load(target):
    return schemathesis.openapi.from_path(ROOT / "Sources" / target / "openapi.yaml", config=CONFIG)


station = load("StationAPI")
oss = load("OSSAPI")
policy = load("PolicyAPI")
express_partner = load("ExpressPartnerAPI")
express_internal = load("ExpressInternalAPI")
identity_management = load("IdentityManagementAPI")


@station.parametrize()
def test_station(case, fuzz, serve):
    fuzz.check(case, "station", serve.urls["station"])


@oss.parametrize()
def test_oss(case, fuzz, serve):
    fuzz.check(case, "oss", serve.urls["oss"])


@policy.parametrize()
def test_policy(case, fuzz, serve):
    fuzz.check(case, "policy", serve.urls["policy"])


@express_partner.parametrize()
def test_express_partner(case, fuzz, serve):
    fuzz.check(case, "express-partner", serve.urls["express"] + "/api/v1")


@express_internal.parametrize()
def test_express_internal(case, fuzz, serve):
    fuzz.check(case, "express-internal", serve.urls["express"])


@identity_management.parametrize()
def test_identity_management(case, fuzz, serve):
    fuzz.check(case, "identity-management", serve.urls["identity"])
