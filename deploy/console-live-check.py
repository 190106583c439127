"""Scale-out check of Console's live pages across instances: a dispatcher's event stream (GET /live) is open on
EACH Console instance, one session signed in through nginx; a care request created in Station (as OSS would) must
reach both streams within a few seconds, whichever instance follows Station's feed.

  console-live-check.py <console instance 1 URL> <console instance 2 URL> <Identity URL> <Station URL> <data dir>

The care request is made with the command-line machine client's token (its secret from <data dir>/secrets.json).
The dispatcher's session is saved in <data dir>/../console-cookies.json for deploy/live-failover-check.py."""
import queue
import sys
import time
from pathlib import Path

from live_sessions import EventStream, console_signed_in, create_care_request, secret, wait_for

WAIT_SECONDS = 15


def main(first, second, identity, station, data_dir):
    session, _ = console_signed_in(first, cookies=Path(data_dir).parent / "console-cookies.json")
    messages = queue.Queue()
    streams = [EventStream(session, f"{instance}/live", messages, instance).open() for instance in (first, second)]
    time.sleep(1)
    while not messages.empty():  # what a stream replays from before the change does not count
        messages.get()
    care_request = create_care_request(identity, station, secret(data_dir, "cli-m2m"))
    reached = wait_for(messages, care_request, streams, WAIT_SECONDS)
    if len(reached) < 2:
        print(f"console live: care request {care_request} reached only {sorted(s.name for s in reached)} "
              f"within {WAIT_SECONDS} s")
        return 1
    print(f"console live: care request {care_request}'s event reached the streams on both instances")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
