"""Writes docs/BENCHMARKS.md from the results of benchmarks/run.sh."""
import json
import os
import platform
import subprocess
import sys
import datetime

rows = [json.loads(line) for line in open(sys.argv[1])]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
memory = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0] if True else ""

def get(workload, db, size):
    for row in rows:
        if row["workload"] == workload and row["db"] == db and row["size"] == size:
            return row
    return None

def fmt(value, digits=1):
    return "—" if value is None else f"{float(value):.{digits}f}"

def cores(row):
    """Cores the server used during a wrk run (serve, and PostgreSQL's processes beside it): near 2 is CPU-bound."""
    if row.get("serve_cores") is None:
        return "—"
    text = f"{row['serve_cores']:.2f}" + (f" + {row['db_cores']:.2f}" if row.get("db_cores") is not None else "")
    busiest = max((row.get("gate_busy") or {}).items(), key=lambda item: item[1], default=None)
    return text + (f"; {busiest[0]}'s write gate held {busiest[1]:.0%}" if busiest and busiest[1] >= 0.05 else "")

print("# Benchmarks")
print()
print(f"Measured by `benchmarks/run.sh` on {datetime.date.today().isoformat()}: {os.cpu_count()} cores ({cpu}), "
      f"{memory // 1024} GiB, {platform.system()} {platform.release()}, {swift}. Release build; all five services in one "
      "`selfsched serve` process; load from `wrk` (2 threads, fixed connections) on the same machine, so client and "
      "server share the two cores; `LOG_LEVEL=warning`, so no per-request log line is written. Figures, not assertions: "
      "they vary by several percent between runs. *Cores busy* is the CPU the serve process used during a wrk run "
      "(2.00 would be both cores), with PostgreSQL's processes added after it; wrk takes most of the rest, so a "
      "workload near 1.5 in all is short of CPU, and one well below it waits on something else. On SQLite it also "
      "names the service whose write gate (one write transaction at a time) was held the largest share of the run "
      "(`db_write_gate_held_seconds_total`), when that is 5% or more: near 100%, writes queue for it. W4 alternates a machine push and a user's redemption; its "
      "requests/s counts both. W6 (benchmarks/live.py, Python asyncio and aiohttp, one client process) holds "
      "Express's live stream (`GET /care-requests/live`, server-sent events) open from many signed-in browsers, 20 "
      "per synthetic partner, while a dispatcher's token moves those partners' requests through Station at a fixed "
      "rate; each event's latency runs from its time in Station's event log (taken in the transaction that commits "
      "the change, read from Station's database to the millisecond: the feed's `at` is whole seconds, and runs "
      "before 2026-12-03 measured from it, which added half a second on average) until its id reached the last "
      "browser of that partner, and memory is the serve process's resident "
      "size while the connections are open.")
print()
dbs = sorted({r["db"] for r in rows})
sizes = sorted({r["size"] for r in rows if r["workload"] != "idle"})
for db in dbs:
    for size in sizes:
        seed = get("seed", db, size)
        idle = get("idle", db, size)
        print(f"## {db}, {size:,} care requests")
        print()
        if seed:
            print(f"Seeding {int(seed['added']):,} care requests took {float(seed['seconds']):.1f} s; "
                  f"idle resident memory of the serve process {fmt(idle and idle.get('rss_mb'))} MB.")
            print()
        print("| workload | requests/s | p50 ms | p99 ms | max ms | errors | peak RSS MB | cores busy |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, label in [("F1", "F1 trivial route (framework ceiling)"), ("F2-W1", "F2 W1's SQL directly"), ("F2-W2", "F2 W2's SQL directly"),
                            ("W1", "W1 partner list, first page"), ("W1deep", "W1 partner list, page 51"),
                            ("W7", "W7 FHIR ServiceRequest search, first page"), ("W2", "W2 patient search \"lor\""),
                            ("W3", "W3 Express list, signed in"), ("W4", "W4 handoff push and redeem (requests)"),
                            ("W5", "W5 care request creation (requests)"),
                            ("F3", "F3 one booking's rows written directly (transactions)")]:
            row = get(name, db, size)
            if row:
                print(f"| {label} | {fmt(row.get('rps'), 0)} | {fmt(row.get('p50_ms'), 2)} | {fmt(row.get('p99_ms'), 2)} | "
                      f"{fmt(row.get('max_ms'), 1)} | {row.get('errors', 0)} | {fmt(row.get('peak_rss_mb'))} | {cores(row)} |")
        for name, label in [("W8", "without"), ("W8etag", "with the previous sweep's ETags (If-None-Match)")]:
            bulk = get(name, db, size)
            if bulk:
                print()
                print(f"{name}: $bulk-publish for all markets, the manifest and its {bulk['files']} files fetched one after "
                      f"another {label}: {bulk['sweeps']} sweeps in the run, p50 {fmt(bulk['p50_ms'])} ms, p99 "
                      f"{fmt(bulk['p99_ms'])} ms, max {fmt(bulk['max_ms'])} ms per sweep, {int(bulk['bytes']):,} bytes"
                      + (f", {bulk['unchanged_files']} files answered 304" if name == "W8etag" else "") + ".")
        handoffs = get("W4-check", db, size)
        if handoffs:
            pushed = int(handoffs["after"].split(",")[0]) - int(handoffs["before"].split(",")[0])
            redeemed = int(handoffs["after"].split(",")[1]) - int(handoffs["before"].split(",")[1])
            print()
            print(f"W4: {pushed:,} handoffs pushed and {redeemed:,} redeemed in {handoffs['seconds']} s, "
                  f"{redeemed / float(handoffs['seconds']):.0f} complete handoffs per second (each is two of W4's requests).")
        live = get("W6", db, size)
        if live:
            print()
            print(f"W6: {live['connected']:,} of {live['connections']:,} live connections open over {live['partners']} "
                  f"partners (in {live['open_seconds']} s; {live['still_open']:,} still open at the end); "
                  f"{live['changes']:,} status changes in {live['seconds']:.0f} s at {live['rate']:.0f}/s "
                  f"({live['changes_refused']} refused) made {live['events']:,} events"
                  + (f" (started after {live['backlog_wait_seconds']:.0f} s, when the {live['backlog_before']:,} "
                     "messages earlier workloads left in Station's outbox were delivered)" if live.get('backlog_before') else "")
                  + f". From Station's event time to "
                  f"every browser of the partner: p50 {fmt(live['p50_ms'])} ms, p99 {fmt(live['p99_ms'])} ms, "
                  f"max {fmt(live['max_ms'])} ms (to each browser: p50 {fmt(live['each_p50_ms'])} ms, p99 "
                  f"{fmt(live['each_p99_ms'])} ms, {live['deliveries']:,} deliveries), of which until Express received "
                  f"Station's push: p50 {fmt(live.get('express_p50_ms'))} ms, p99 {fmt(live.get('express_p99_ms'))} ms"
                  + (f"; Station answered the changes themselves in p50 {fmt(live['change_p50_ms'])} ms, p99 "
                     f"{fmt(live['change_p99_ms'])} ms" if live.get('change_p50_ms') is not None else "")
                  + ". "
                  f"Events some browser of the "
                  f"partner never got: **{live['events_missed']}**; deliveries to another partner's browsers: "
                  f"**{live['deliveries_to_other_partners']}**; repeats: {live['duplicates']}. Resident memory of the "
                  f"serve process with the connections open: {fmt(live['rss_mb'])} MB (peak since start "
                  f"{fmt(live['peak_rss_mb'])} MB).")
        check = get("W5-check", db, size)
        if check:
            print()
            w5 = get("W5", db, size)
            refused = f"; {w5['errors']:,} requests refused because their window was full" if w5 and w5.get("errors") else ""
            print(f"W5: {check['bookings_added']:,} bookings made ({check['bookings_per_second']:.0f} per second){refused}; "
                  f"overbooked windows: **{check['overbooked_windows']}**.")
        counted = [(n, get(f"{n}-instructions", db, size)) for n in ["W1", "W3", "W5"]]
        if any(row for _, row in counted):
            print()
            print("Instructions per request (`benchmarks/instructions.py`: the release build under `valgrind "
                  "--tool=callgrind`, requests sent one after another after a warm-up, less the process's idle "
                  "instructions over as long; steady from run to run where requests/s are not):")
            print()
            print("| workload | instructions per request | requests counted |")
            print("| --- | ---: | ---: |")
            for name, row in counted:
                if row:
                    print(f"| {name} | {row['instructions_per_request']:,} | {row['requests']} |")
            for name, row in counted:
                if row and row.get("top"):
                    print()
                    print(f"{name}, highest inclusive cost: " + "; ".join(
                        f"`{fn[:90]}` {share:.0f}%" for share, fn in row["top"]) + ".")
        print()
        f1, f2w1, f2w2, w1, w2 = (get(n, db, size) for n in ["F1", "F2-W1", "F2-W2", "W1", "W2"])
        if f1 and f2w1 and w1:
            floor = min(f1["rps"], f2w1["rps"])
            print(f"- W1 reaches {w1['rps'] / floor:.0%} of the lower of its floors ({floor:.0f} requests/s).")
        if f1 and f2w2 and w2:
            floor = min(f1["rps"], f2w2["rps"])
            print(f"- W2 reaches {w2['rps'] / floor:.0%} of the lower of its floors ({floor:.0f} requests/s).")
        print()
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"### {db}: growth from {small:,} to {large:,} care requests")
        print()
        for name in ["W1", "W1deep", "W2"]:
            a, b = get(name, db, small), get(name, db, large)
            if a and b and a.get("p99_ms") and b.get("p99_ms"):
                print(f"- {name}: p99 {a['p99_ms']:.2f} ms → {b['p99_ms']:.2f} ms ({b['p99_ms'] / a['p99_ms']:.2f}×)")
        print()

# The goals, against the largest size measured.
large = sizes[-1] if sizes else None
if large:
    print(f"## Goals at {large:,} care requests")
    print()
    print("| goal | " + " | ".join(dbs) + " |")
    print("| --- | " + " | ".join("---" for _ in dbs) + " |")
    def cell(ok, text):
        return ("met: " if ok else "**missed**: ") + text
    def line(goal, fn):
        cells = []
        for db in dbs:
            try:
                cells.append(fn(db))
            except (TypeError, KeyError, ZeroDivisionError):
                cells.append("—")
        print(f"| {goal} | " + " | ".join(cells) + " |")
    def busy(name, db):
        row = get(name, db, large)
        return f"; cores busy {cores(row)}" if row and row.get("serve_cores") is not None else ""
    def ratio(name, floor_name, db):
        w, f1, f2 = get(name, db, large), get("F1", db, large), get(floor_name, db, large)
        r = w["rps"] / min(f1["rps"], f2["rps"])
        return cell(r >= 0.5, f"{r:.0%} of {min(f1['rps'], f2['rps']):.0f}/s" + busy(name, db))
    def p99(name, limit, db):
        value = get(name, db, large)["p99_ms"]
        return cell(value < limit, f"{value:.1f} ms")
    def growth(name, db):
        a, b = get(name, db, sizes[0])["p99_ms"], get(name, db, large)["p99_ms"]
        return cell(b / a <= 1.5, f"{b / a:.2f}×")
    line("W1 ≥ 50% of the lower floor", lambda db: ratio("W1", "F2-W1", db))
    line("W1 p99 < 20 ms", lambda db: p99("W1", 20, db))
    line("W2 ≥ 50% of the lower floor", lambda db: ratio("W2", "F2-W2", db))
    line("W2 p99 < 30 ms", lambda db: p99("W2", 30, db))
    line("W3 ≥ 1,000 requests/s", lambda db: cell(get("W3", db, large)["rps"] >= 1000,
                                                  f"{get('W3', db, large)['rps']:.0f}/s" + busy("W3", db)))
    line("W3 p99 < 50 ms", lambda db: p99("W3", 50, db))
    line("W3 ≥ 60% of W1's rate (Express adds at most 40%)", lambda db: cell(
        get("W3", db, large)["rps"] >= 0.6 * get("W1", db, large)["rps"],
        f"{get('W3', db, large)['rps'] / get('W1', db, large)['rps']:.0%} of {get('W1', db, large)['rps']:.0f}/s"))
    line("W5 ≥ half of F3", lambda db: cell(
        get("W5-check", db, large)["bookings_per_second"] >= 0.5 * get("F3", db, large)["rps"],
        f"{get('W5-check', db, large)['bookings_per_second'] / get('F3', db, large)['rps']:.0%} of "
        f"{get('F3', db, large)['rps']:.0f}/s"))
    line("W5 ≥ 300 bookings/s, none overbooked", lambda db: cell(
        get("W5-check", db, large)["bookings_per_second"] >= 300 and int(get("W5-check", db, large)["overbooked_windows"]) == 0,
        f"{get('W5-check', db, large)['bookings_per_second']:.0f}/s, {get('W5-check', db, large)['overbooked_windows']} overbooked"
        + busy("W5", db)))
    if len(sizes) > 1:
        line(f"W1 p99 growth {sizes[0]:,} → {large:,} ≤ 1.5×", lambda db: growth("W1", db))
        line(f"W2 p99 growth {sizes[0]:,} → {large:,} ≤ 1.5×", lambda db: growth("W2", db))
    line("W6 p99 < 1 s, event to every browser of the partner", lambda db: cell(
        get("W6", db, large)["p99_ms"] < 1000 and get("W6", db, large)["events_missed"] == 0,
        f"{get('W6', db, large)['p99_ms']:.0f} ms, {get('W6', db, large)['events_missed']} missed, "
        f"{get('W6', db, large)['connected']:,} connections"))
    line("memory under W6 < 400 MB", lambda db: cell(get("W6", db, large)["rss_mb"] < 400,
                                                     f"{get('W6', db, large)['rss_mb']:.0f} MB"))
    line("idle memory < 250 MB", lambda db: cell(float(get("idle", db, large)["rss_mb"]) < 250, f"{float(get('idle', db, large)['rss_mb']):.0f} MB"))
    line("memory under W3 < 500 MB", lambda db: cell(float(get("W3", db, large)["peak_rss_mb"]) < 500, f"{float(get('W3', db, large)['peak_rss_mb']):.0f} MB"))
    print()
    print("For every goal missed, what holds it back (from the profiles and the instruction counts) and what moving it "
          "would cost are under [What holds each missed goal back](#what-holds-each-missed-goal-back) below.")
    print()

# What the profiles say, and the routing comparison (benchmarks/routing.sh), kept by hand beside the generator.
for name in ("profile-notes.md", "routing-notes.md"):
    notes = os.path.join(os.path.dirname(__file__), name)
    if os.path.exists(notes):
        print()
        print(open(notes).read().rstrip())
