"""W8: what an availability aggregator does: fetch Station's SMART Scheduling Links manifest and every file it names
(Location, Schedule and one Slot file per market), sequentially, again and again for `duration` seconds; then the
same with the ETags of the previous sweep (If-None-Match), as a poller that already holds them would. Records the
sweep's p50/p99/max and its size."""
import json
import statistics
import sys
import time

import requests

results, db, size, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
base = "http://localhost:8082/fhir/r4/$bulk-publish"
session = requests.Session()


def sweep(etags):
    started = time.perf_counter()
    headers = {"If-None-Match": etags[base]} if base in etags else {}
    manifest = session.get(base, headers=headers, timeout=30)
    if manifest.status_code == 304:
        body = last_manifest
    else:
        manifest.raise_for_status()
        body = manifest.json()
        etags[base] = manifest.headers.get("ETag", "")
    total = len(manifest.content)
    unchanged = 0
    for output in body["output"]:
        url = output["url"]
        answer = session.get(url, headers={"If-None-Match": etags[url]} if url in etags else {}, timeout=60)
        if answer.status_code == 304:
            unchanged += 1
        else:
            answer.raise_for_status()
            etags[url] = answer.headers.get("ETag", "")
        total += len(answer.content)
    return time.perf_counter() - started, total, len(body["output"]), unchanged, body


def measure(name, conditional):
    global last_manifest
    times, sizes, files, unchanged_files = [], [], 0, 0
    etags = {}
    if conditional:
        _, _, _, _, last_manifest = sweep(etags)
    end = time.perf_counter() + duration
    while time.perf_counter() < end or not times:
        seconds, total, files, unchanged, last_manifest = sweep(etags if conditional else {})
        times.append(seconds * 1000)
        sizes.append(total)
        unchanged_files = unchanged
    times.sort()
    row = {"workload": name, "db": db, "size": size, "sweeps": len(times),
           "p50_ms": statistics.median(times), "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))],
           "max_ms": times[-1], "bytes": sizes[-1], "files": files, "unchanged_files": unchanged_files,
           "rps": len(times) / duration, "errors": 0}
    open(results, "a").write(json.dumps(row) + "\n")
    print(f"{name:>6} {db:>8} {size:>8}: {len(times)} sweeps of {files} files, {sizes[-1]:,} bytes, "
          f"p50 {row['p50_ms']:.1f} ms  p99 {row['p99_ms']:.1f} ms")


last_manifest = None
measure("W8", conditional=False)
measure("W8etag", conditional=True)
