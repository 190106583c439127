"""Instructions per request: the stable figure beside the wall-clock ones.

Runs the release `selfsched serve` under `valgrind --tool=callgrind` on an already seeded data directory, warms
each workload up, then counts the instructions the whole process executes while it serves a fixed number of
requests one after another, less what the same process executes idle for as long (the outbox workers, relays and
timers that run whether or not anyone asks), divided by the number of requests. Instruction counts do not depend
on how busy the machine is, so they repeat closely from run to run where requests per second do not.

    python3 benchmarks/instructions.py BIN DB DATA RESULTS SIZE [--requests 200] [--only W1,W3,W5]

Writes one row per workload to RESULTS (JSON lines): instructions per request, the requests counted, and the
functions with the highest inclusive cost, which `benchmarks/report.py` lists in docs/BENCHMARKS.md.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import time
import uuid

import requests

sys.path.insert(0, os.path.dirname(__file__))
from booking import prepare_bodies  # noqa: E402
from common import station_query, token  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("bin")
parser.add_argument("db")
parser.add_argument("data")
parser.add_argument("results")
parser.add_argument("size", type=int)
parser.add_argument("--requests", type=int, default=200)
parser.add_argument("--warmup", type=int, default=50)
parser.add_argument("--only", default="W1,W3,W5")
args = parser.parse_args()
os.environ["BENCH_BIN"] = args.bin

out_dir = os.path.join(args.data, "callgrind")
os.makedirs(out_dir, exist_ok=True)
for old in glob.glob(os.path.join(out_dir, "callgrind.out*")):
    os.remove(old)
log = open(os.path.join(args.data, "serve-callgrind.log"), "w")
# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 debug info Swift writes and gives up; a copy without it keeps
# the symbol table, which is all the function names need. It sits beside the binary, where the bundled views are.
binary = args.bin + "-callgrind"
subprocess.run(["objcopy", "--strip-debug", args.bin, binary], check=True)
# libdispatch's dispatch_main parks the main thread in sigsuspend on a static mask valgrind cannot read (it stops
# with an internal SIGSEGV, 3.19 and 3.24 alike); a preloaded sigsuspend passes a copy of the mask instead.
shim = os.path.join(out_dir, "sigsuspend_shim.so")
subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", shim, os.path.join(os.path.dirname(__file__), "sigsuspend_shim.c")],
               check=True)
# Background loops pause fifty times longer (BackgroundPace), as the process runs about that much slower here.
server = subprocess.Popen(
    ["env", f"LD_PRELOAD={shim}", "SELFSCHED_BACKGROUND_PACE=50", "LOG_LEVEL=warning", "valgrind", "--tool=callgrind", "--collect-atstart=yes", f"--callgrind-out-file={out_dir}/callgrind.out",
     binary, "serve", "--data-dir", args.data], stdout=log, stderr=subprocess.STDOUT)


def healthy():
    try:
        return all(requests.get(f"http://localhost:{port}/healthz", timeout=5).ok for port in (8080, 8082, 8083))
    except requests.RequestException:
        return False


deadline = time.time() + 600
while not healthy():
    if server.poll() is not None or time.time() > deadline:
        sys.exit("selfsched serve did not start under valgrind; see " + log.name)
    time.sleep(2)


def control(*flags):
    subprocess.run(["callgrind_control", *flags, str(server.pid)], check=True, capture_output=True)


def dump(label):
    """Writes the counts since the last zeroing to a new file and returns its path."""
    before = set(glob.glob(os.path.join(out_dir, "callgrind.out*")))
    control(f"--dump={label}")
    for _ in range(300):
        new = set(glob.glob(os.path.join(out_dir, "callgrind.out*"))) - before
        if new:
            path = new.pop()
            time.sleep(0.5)  # let valgrind finish writing it
            return path
        time.sleep(0.2)
    sys.exit("callgrind wrote no dump")


def total(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise SystemExit(f"no totals in {path}")


# Frames every job runs under (threads, NIO's event loop, Swift's job runner): they say nothing about the work.
PLUMBING = re.compile(r"^(clone|start_thread|swift_job_run|swift::runJobInEstablishedExecutorContext|Job\*\)|"
                      r".*(ThreadOpsPosix|NIOThread|SelectableEventLoop|MultiThreadedEventLoopGroup|"
                      r"partial apply for thunk|thunk for @escaping))")


def top_functions(path, count=15):
    """The functions with the highest inclusive cost in a dump, as (share of the total, demangled name), leaving
    out the frames every job runs under."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", f"--threshold=100", path],
                         capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(?:(?:\?\?\?|\S*\.(?:c|cc|cpp|h|S|swift)):)?(.+)", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        name = m.group(3).strip()
        name = re.sub(r"\s*\[[^\]]*\]$", "", name)  # the object file
        name = demangle(name)
        if PLUMBING.match(name):
            continue
        rows.append((float(m.group(2)), name))
        if len(rows) == count:
            break
    return rows


def demangle(name):
    # callgrind marks a recursive call's cycle with a suffix ('2) that the demangler does not know.
    recursion = re.search(r"'\d+$", name)
    if recursion:
        return demangle(name[:recursion.start()]) + recursion.group(0)
    if name.startswith("$s") or name.startswith("_$s"):
        try:
            return subprocess.run(["swift", "demangle", "--simplified", "--compact", name],
                                  capture_output=True, text=True, check=True).stdout.strip() or name
        except (OSError, subprocess.CalledProcessError):
            return name
    return name


def measure(workload, send, fresh=lambda: None):
    """`fresh` renews what the requests carry (a bearer token lives five minutes, and requests here are slow):
    before the warm-up and again just before counting starts, so no renewal falls inside the count."""
    session = requests.Session()
    fresh()
    for i in range(args.warmup):
        send(session, i)
    fresh()
    control("--zero")
    started = time.time()
    for i in range(args.requests):
        send(session, args.warmup + i)
    seconds = time.time() - started
    busy = dump(f"{workload}-busy")
    control("--zero")
    time.sleep(seconds)
    idle = dump(f"{workload}-idle")
    per_request = (total(busy) - total(idle)) / args.requests
    row = {"workload": f"{workload}-instructions", "db": args.db, "size": args.size, "requests": args.requests,
           "instructions_per_request": round(per_request), "busy_instructions": total(busy),
           "idle_instructions": total(idle), "seconds": round(seconds, 1), "top": top_functions(busy)}
    with open(args.results, "a") as f:
        f.write(json.dumps(row) + "\n")
    print(f"{workload} {args.db} {args.size}: {per_request / 1e6:.2f} M instructions per request "
          f"({args.requests} requests in {seconds:.0f} s under callgrind)")


def check(response):
    if response.status_code >= 300:
        raise SystemExit(f"{response.request.method} {response.url}: {response.status_code} {response.text[:300]}")
    return response


wanted = set(args.only.split(","))
try:
    bearer = {}
    partner = str(station_query(args.db, args.data, "SELECT partner_id, COUNT(*) AS n FROM care_requests "
                                "GROUP BY partner_id ORDER BY n DESC LIMIT 1")[0][0]).lower()
    if "W1" in wanted:
        url = f"http://localhost:8082/v1/partners/{partner}/care-requests"
        measure("W1", lambda s, i: check(s.get(url, headers=bearer)),
                lambda: bearer.update(Authorization=f"Bearer {token(args.data)}"))
    if "W3" in wanted:
        cookie = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "sign_in.py")],
                                check=True, capture_output=True, text=True).stdout.strip()
        # Without following redirects: a lost session would be a redirect to sign-in, counted as a failure.
        measure("W3", lambda s, i: check(s.get("http://localhost:8080/care-requests", allow_redirects=False,
                                               headers={"Cookie": f"express_session={cookie}"})))
    if "W5" in wanted:
        bodies = prepare_bodies(args.db, args.data)
        write = {"Content-Type": "application/json"}
        run = uuid.uuid4().hex

        def book(s, i):
            check(s.post("http://localhost:8082/v1/care-requests", data=bodies[i % len(bodies)],
                         headers={**write, "Idempotency-Key": f"instructions-{run}-{i}"}))
        measure("W5", book, lambda: write.update(
            Authorization=f"Bearer {token(args.data, scope='station.care_requests.write')}"))
finally:
    server.terminate()
    try:
        server.wait(timeout=120)
    except subprocess.TimeoutExpired:
        server.kill()
