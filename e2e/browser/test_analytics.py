"""Product analytics end to end (issue 19): a scenario of its own in real browsers, then what it left behind.
Sunrise's scheduler starts two new requests, finishes one through OSS to creation and leaves the other right after
OSS redeemed its handoff; Mercy's admin (online scheduling off) reaches the phone page. `selfsched analytics funnel`
must then count exactly that; the collector (collector.py) must have received every event, authenticated, batched,
the batch it refused with 500 again, each attempt's events in order. Last, the review-step experiment: set to show
everyone the short review, the next handoff shows it and one Experiment Viewed arrives."""
import datetime
import json
import re
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from selfsched_e2e import ROOT, Browser, make_driver, run_selfsched
from station_e2e import SUNRISE
from test_scenarios import continue_in_oss, express_sign_in, finish_steps

MERCY = "5a7e0000-0000-4000-8000-000000000002"
STEPS = ["patient", "reason", "location", "window", "details", "review"]
STAGES = ["started", "redeemed"] + [f"step_{step}" for step in STEPS] + ["submitted", "created"]
# Typed into the scenario's forms; phi_search.TYPED_TEXT has them too, so no analytics may carry them.
REASON = "Dizzy since the new pills"
EXPERIMENT_REASON = "Short of breath on the stairs"
ADDRESS = {"Street address": "2201 Blake St", "City": "Denver", "State": "CO", "ZIP code": "80202"}


def catalogue(enum):
    """The raw values of a Swift enum of Sources/Analytics/AnalyticsEvent.swift: the only event names
    (AnalyticsEventName) and property keys (AnalyticsProperty) the product may send."""
    source = (ROOT / "Sources" / "Analytics" / "AnalyticsEvent.swift").read_text()
    body = source.split(f"enum {enum}", 1)[1].split("\n}", 1)[0]
    return {value or name for name, value in re.findall(r'^\s*case (\w+)(?: = "([^"]+)")?\s*$', body, re.M)}


EVENT_NAMES = catalogue("AnalyticsEventName")
PROPERTY_KEYS = catalogue("AnalyticsProperty")
# One attempt's events in the order they happen (a step event is named by its step).
ATTEMPT_ORDER = ["Care Request Started", "Handoff Redeemed"] + [f"step:{step}" for step in STEPS] + [
    "Care Request Submitted", "Care Request Created"]
# DatabaseExperiments keeps a definition for at most this long (CONTRACTS19.md), so a change made with
# `selfsched experiments set` reaches a running OSS within it.
EXPERIMENT_CACHE_SECONDS = 5


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def when(message):
    return datetime.datetime.fromisoformat(message["timestamp"].replace("Z", "+00:00"))


def iso(moment):
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def between(messages, start, end=None):
    return [m for m in messages if start <= when(m) and (end is None or when(m) <= end)]


def named(messages, event, **properties):
    return [m for m in messages if m.get("event") == event
            and all((m.get("properties") or {}).get(k) == v for k, v in properties.items())]


def fingerprint(message):
    return (message.get("properties") or {}).get("handoff_fingerprint")


def key_of(message):
    """A message's place in ATTEMPT_ORDER: its event, or `step:<step>` for a step."""
    if message.get("event") == "Onboarding Step Completed":
        return f"step:{message['properties'].get('step')}"
    return message.get("event")


@pytest.fixture(scope="module")
def local(system):
    if "data_dir" not in system or "collector" not in system:
        pytest.skip("a deployment started elsewhere: its analytics go where it sends them, its files are not here")
    return system


def scenario_browser(request_log, name):
    return Browser(make_driver(record_requests=True), f"test_analytics_{name}")


def close(b, request_log):
    try:
        request_log.record(b.driver)
    finally:
        b.driver.quit()


def start_new_request(b, system):
    with b.step("a new request for a new patient"):
        b.link("New care request")
        b.press("Start for a new patient")
    continue_in_oss(b, system)


def review_is_short(b):
    """Whether OSS shows the short review (`short` of review_step): its answers folded into a "show all answers"
    details element, rather than today's list of every answer with its change link."""
    return b.present("//main//details[summary[contains(translate(normalize-space(), 'ANSWERS', 'answers'), "
                     "'answers')]]")


@pytest.fixture(scope="module")
def scenario(local, request_log):
    """Runs the scenario once and returns what it did, with the events the collector got for it."""
    system, collector = local, local["collector"]
    start = now()
    scheduler = scenario_browser(request_log, "scheduler")
    try:
        express_sign_in(scheduler, system, "scheduler@sunrise.example")
        begun = time.time()
        start_new_request(scheduler, system)
        finish_steps(scheduler, new_patient=True, reason=REASON, address=ADDRESS, submit=False)
        with scheduler.step("today's review for everyone outside the experiment, then submit"):
            assert "Review and submit" in scheduler.text
            assert not review_is_short(scheduler), "the short review shows while review_step's rollout is 0"
            scheduler.press("Submit request")
        with scheduler.step("back in Express, created"):
            assert "Your care request was created." in scheduler.text, scheduler.text[:500]
        created_within = time.time() - begun
        start_new_request(scheduler, system)
        with scheduler.step("leave OSS right after it redeemed the handoff"):
            assert "/partner/drafts/" in scheduler.url
            scheduler.go(system["express"] + "/care-requests")
            assert "Care requests" in scheduler.text
    finally:
        close(scheduler, request_log)
    mercy = scenario_browser(request_log, "mercy")
    try:
        express_sign_in(mercy, system, "admin@mercy.example")
        with mercy.step("Mercy schedules by phone"):
            mercy.link("New care request")
            assert "Schedule by phone" in mercy.text
    finally:
        close(mercy, request_log)
    end = now()

    def complete(messages):
        ours = between(messages, start, end)
        started = named(ours, "Care Request Started", partner_id=SUNRISE)
        created = {fingerprint(m) for m in named(ours, "Care Request Created")}
        return (len(started) == 2 and len(named(ours, "Handoff Redeemed")) == 2
                and any(fingerprint(m) in created for m in started)
                and named(ours, "Phone Page Shown", partner_id=MERCY))

    messages = between(collector.wait_for(complete, "the scenario's events"), start, end)
    started = named(messages, "Care Request Started", partner_id=SUNRISE)
    created = {fingerprint(m) for m in named(messages, "Care Request Created")}
    finished = [fingerprint(m) for m in started if fingerprint(m) in created]
    abandoned = [fingerprint(m) for m in started if fingerprint(m) not in created]
    assert len(finished) == 1 and len(abandoned) == 1, (finished, abandoned)
    wait_for_file(Path(system["data_dir"]) / "analytics.jsonl", {m["messageId"] for m in messages})
    return {"start": start, "end": end, "messages": messages, "finished": finished[0], "abandoned": abandoned[0],
            "created_within": created_within}


def wait_for_file(path, message_ids, timeout=60):
    """Waits until the embedded default's file holds every one of `message_ids` (each app's pipeline writes it and
    posts to the collector; the funnel command reads the file)."""
    deadline = time.time() + timeout
    while True:
        written = set()
        if path.exists():
            for line in path.read_text(errors="replace").splitlines():
                try:
                    written.add(json.loads(line).get("messageId"))
                except ValueError:
                    pass
        missing = message_ids - written
        if not missing:
            return
        if time.time() > deadline:
            raise AssertionError(f"{len(missing)} of the scenario's messages are not in {path} after {timeout} s")
        time.sleep(0.2)


def funnel(system, start, end=None):
    """`selfsched analytics funnel --format json` over the serve's data directory, from `start` (to `end`)."""
    arguments = ["analytics", "funnel", "--since", iso(start), "--format", "json", "--data-dir", system["data_dir"]]
    if end is not None:
        arguments += ["--until", iso(end)]
    answer = run_selfsched(*arguments)
    assert answer.returncode == 0, f"selfsched {' '.join(arguments)} failed:\n{answer.stderr[-2000:]}"
    return json.loads(answer.stdout)


def nonzero(counts):
    return {name: count for name, count in counts.items() if count}


def stage_counts(segment):
    return {stage["key"]: stage["count"] for stage in segment["stages"]}


def figures(segment):
    """A segment's figures that count something (stages, outcomes, emergencies, nurse calls, cancellations, phone
    pages, weekly starts and creations), for comparing with zero."""
    return {**stage_counts(segment), **{f"screening {k}": v for k, v in segment["screeningOutcomes"].items()},
            "emergencyAdvised": segment["emergencyAdvised"], "nurseCallNeeded": segment["nurseCallNeeded"],
            "cancellations": segment["cancellations"], "phonePagesShown": segment["phonePagesShown"],
            "weeks started": sum(week["started"] for week in segment["weeks"]),
            "weeks created": sum(week["created"] for week in segment["weeks"])}


def test_the_funnel_command_counts_what_the_scenario_did(scenario, local):
    report = funnel(local, scenario["start"], scenario["end"])
    segments = {segment["segment"]: segment for segment in report["segments"]}
    assert SUNRISE in segments, f"no Sunrise segment: {list(segments)}"
    sunrise = segments[SUNRISE]
    expected = {"started": 2, "redeemed": 2, **{f"step_{step}": 1 for step in STEPS}, "submitted": 1, "created": 1}
    assert [stage["key"] for stage in sunrise["stages"]] == STAGES
    assert stage_counts(sunrise) == expected
    by_key = {stage["key"]: stage for stage in sunrise["stages"]}
    assert by_key["started"]["conversion"] is None and by_key["started"]["dropOff"] == 0
    assert by_key["redeemed"]["conversion"] == pytest.approx(1.0) and by_key["redeemed"]["dropOff"] == 0
    assert by_key["step_patient"]["conversion"] == pytest.approx(0.5) and by_key["step_patient"]["dropOff"] == 1
    assert by_key["created"]["conversion"] == pytest.approx(1.0) and by_key["created"]["dropOff"] == 0
    assert nonzero(sunrise["screeningOutcomes"]) == {"self_schedule": 1}, sunrise["screeningOutcomes"]
    assert (sunrise["emergencyAdvised"], sunrise["nurseCallNeeded"], sunrise["cancellations"],
            sunrise["phonePagesShown"]) == (0, 0, 0, 0)
    assert 0 < sunrise["medianSecondsToCreated"] <= scenario["created_within"] + 1, \
        (sunrise["medianSecondsToCreated"], scenario["created_within"])
    assert figures(sunrise)["weeks started"] == 2 and figures(sunrise)["weeks created"] == 1, sunrise["weeks"]
    assert MERCY in segments, f"no Mercy segment for its phone page: {list(segments)}"
    assert nonzero(segments[MERCY]["phonePagesByReason"]) == {"online_scheduling_off": 1}, segments[MERCY]
    mercy = figures(segments[MERCY])
    assert mercy.pop("phonePagesShown") == 1
    assert not nonzero(mercy), mercy
    for partner, segment in segments.items():
        if partner not in (SUNRISE, MERCY):
            assert not nonzero(figures(segment)), f"segment {partner}: {segment}"
    assert not [v for v in report["experiments"] if v["exposed"]], report["experiments"]
    assert segments and list(segments)[0] == SUNRISE, "segments are ordered by attempts started"


def test_every_batch_arrived_with_the_write_key(scenario, local):
    received = local["collector"].received()
    assert received
    refused = [(r.number, r.path, r.status) for r in received if not r.authorized or r.path != "/v1/batch"]
    assert not refused, f"requests without the write key or to another path: {refused}"
    for request in received:
        assert request.messages and "sentAt" in request.batch, request.body[:500]


def test_messages_arrive_batched(scenario, local):
    sizes = [len(r.messages) for r in local["collector"].received() if r.status == 200]
    assert max(sizes) > 1, f"every batch held one message: {sizes}"
    assert max(sizes) <= 100, f"a batch held more than ANALYTICS_BATCH_SIZE's default of 100: {sizes}"


def test_the_batch_refused_with_500_arrived_again(scenario, local):
    received = local["collector"].received()
    assert received[0].status == 500, [(r.number, r.status) for r in received[:3]]
    first = [m["messageId"] for m in received[0].messages]
    again = [r for r in received[1:] if r.status == 200 and [m["messageId"] for m in r.messages] == first]
    assert again, "the messages of the batch answered 500 never arrived again as that same batch"
    assert received[0].messages == again[0].messages, "the retried batch's messages changed"


def test_each_attempts_events_arrived_in_order(scenario, local):
    """Express and OSS each keep their own order (a pipeline sends batch after batch), and across them the
    timestamps follow the attempt; the abandoned attempt stops at Handoff Redeemed."""
    messages = scenario["messages"]
    finished = [m for m in messages if fingerprint(m) == scenario["finished"] and key_of(m) in ATTEMPT_ORDER]
    keys = [key_of(m) for m in finished]
    assert sorted(keys) == sorted(ATTEMPT_ORDER), f"each event once: {keys}"
    by_key = {key_of(m): (index, m) for index, m in enumerate(finished)}
    for earlier, later in zip(ATTEMPT_ORDER, ATTEMPT_ORDER[1:]):
        (i, a), (j, b) = by_key[earlier], by_key[later]
        assert when(a) <= when(b), f"{earlier} at {a['timestamp']} after {later} at {b['timestamp']}"
        if a["context"]["app"]["name"] == b["context"]["app"]["name"]:
            assert i < j, f"{later} arrived before {earlier} from {a['context']['app']['name']}"
    apps = {key_of(m): m["context"]["app"]["name"] for m in finished}
    assert apps["Care Request Started"] == "express" and apps["Handoff Redeemed"] == "oss", apps
    for m in finished:
        properties = m["properties"]
        assert properties.get("partner_id") == SUNRISE and properties.get("audience", "partner") == "partner", m
    abandoned = [key_of(m) for m in messages if fingerprint(m) == scenario["abandoned"]]
    assert [k for k in abandoned if k in ATTEMPT_ORDER] == ["Care Request Started", "Handoff Redeemed"], abandoned


def test_every_message_is_a_whole_segment_message(scenario, local):
    messages = local["collector"].delivered()
    problems = []
    for m in messages:
        app = (m.get("context") or {}).get("app", {}).get("name")
        properties = {**(m.get("properties") or {}), **(m.get("traits") or {})}
        if not m.get("messageId") or not m.get("timestamp") or app not in ("express", "oss", "console"):
            problems.append(f"missing messageId, timestamp or app: {m}")
        if not (m.get("userId") or m.get("anonymousId")):
            problems.append(f"neither userId nor anonymousId: {m}")
        if m.get("type") not in ("track", "identify", "group"):
            problems.append(f"type {m.get('type')!r}: {m}")
        if m.get("type") == "track" and m.get("event") not in EVENT_NAMES:
            problems.append(f"an event outside the catalogue: {m.get('event')!r}")
        if set(properties) - PROPERTY_KEYS:
            problems.append(f"unknown keys {sorted(set(properties) - PROPERTY_KEYS)}: {m.get('event')}")
        if any(not isinstance(v, (str, int, bool)) and not (isinstance(v, list) and all(isinstance(x, str) for x in v))
               for v in properties.values()):
            problems.append(f"a value that is not text, a number or a flag: {m}")
        partner_event = app == "express" or fingerprint(m) or properties.get("audience") == "partner"
        if m.get("type") == "track" and partner_event and not properties.get("partner_id"):
            problems.append(f"a partner's event without partner_id: {m}")
        if m.get("type") == "group" and not m.get("groupId"):
            problems.append(f"a group without groupId: {m}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:30])
    assert len({m["messageId"] for m in messages}) == len(messages)


def experiments(system, *arguments):
    answer = run_selfsched("experiments", *arguments, "--data-dir", system["data_dir"])
    assert answer.returncode == 0, f"selfsched experiments {' '.join(arguments)} failed:\n{answer.stderr[-2000:]}"
    return answer.stdout


def test_the_short_review_experiment_shows_and_is_counted_once(scenario, local, browser):
    """Runs after the funnel check (a later time range, whatever the order): everyone in `short`, the next handoff
    reaches the short review, one Experiment Viewed arrives though the review is shown twice, and the funnel's
    experiment figures count the person, the attempt that saw the review and its submission."""
    system, collector, b = local, local["collector"], browser
    start = now()
    experiments(system, "set", "review_step", "--rollout", "100", "--weights", "standard=0,short=1")
    set_at = time.time()
    try:
        express_sign_in(b, system, "scheduler@sunrise.example")
        start_new_request(b, system)
        # The running OSS reads the new definition once its cached one is older than EXPERIMENT_CACHE_SECONDS.
        time.sleep(max(0.0, set_at + EXPERIMENT_CACHE_SECONDS + 0.5 - time.time()))
        finish_steps(b, new_patient=True, reason=EXPERIMENT_REASON, address=ADDRESS, window_index=1, submit=False)
        with b.step("the short review"):
            assert review_is_short(b), b.text[:800]
        with b.step("shown again: still short, nothing hidden from the person"):
            b.driver.refresh()
            b.settle()
            assert review_is_short(b)
            b.driver.find_element(By.XPATH, "//main//details/summary").click()
            assert "Medicare" in b.text and "Nora" in b.text
        with b.step("one submit sends the request"):
            b.press("Submit request")
            assert "Your care request was created." in b.text, b.text[:500]
        end = now()
        attempt = {}

        def created(messages):
            ours = between(messages, start, end)
            started = named(ours, "Care Request Started", partner_id=SUNRISE)
            done = {fingerprint(m) for m in named(ours, "Care Request Created")}
            attempt.update(fingerprint=next((fingerprint(m) for m in started if fingerprint(m) in done), None))
            return attempt["fingerprint"] is not None

        messages = between(collector.wait_for(created, "the experiment attempt's Care Request Created"), start, end)
        viewed = named(messages, "Experiment Viewed", experiment_id="review_step")
        assert len(viewed) == 1, f"Experiment Viewed {len(viewed)} times: {viewed}"
        assert viewed[0]["properties"]["variation_id"] == "short" and viewed[0]["context"]["app"]["name"] == "oss"
        assert viewed[0]["properties"].get("partner_id") == SUNRISE and viewed[0].get("userId"), viewed[0]
        listed = experiments(system, "list")
        assert "review_step: rollout 100%" in listed and re.search(r"short: weight 1 .*; 1 person exposed", listed), \
            listed
        wait_for_file(Path(system["data_dir"]) / "analytics.jsonl", {m["messageId"] for m in messages})
        report = funnel(system, start, end)
        short = [v for v in report["experiments"] if (v["experiment"], v["variant"]) == ("review_step", "short")]
        assert short and (short[0]["exposed"], short[0]["reachedReview"], short[0]["submitted"]) == (1, 1, 1), \
            report["experiments"]
    finally:
        experiments(system, "set", "review_step", "--rollout", "0", "--weights", "standard=1,short=1")
