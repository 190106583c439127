"""Scale-out check that a live page survives the death of the instance holding its stream: several event streams
are opened through nginx to Express's GET /care-requests/live (and Console's GET /live), until both instances of
each hold some; instance 1 of each is killed with SIGKILL; a care request is created in Station while the dropped
streams are down; each dropped stream reconnects through nginx with Last-Event-ID, as a browser's EventSource
does; every stream, kept or reconnected, must carry the new care request's event. The killed instances are then
started again (deploy/scale-out.sh start-one), so the rest of the check still has two of each.

  live-failover-check.py <Express URL> <Console URL or ""> <Identity URL> <Station URL> <data dir>

(the URLs are nginx's; $SCALE_DIR names the deployment for deploy/scale-out.sh)."""
import queue
import subprocess
import sys
import time
from pathlib import Path

from live_sessions import (EventStream, console_signed_in, create_care_request, express_signed_in, live_source,
                           secret, wait_for)

STREAMS_PER_INSTANCE = 2
WAIT_SECONDS = 20
SCALE_OUT = str(Path(__file__).resolve().parent / "scale-out.sh")


def instance_of(stream):
    """express-1 or express-2 (by the port nginx names: instance 1 listens on 181xx, instance 2 on 182xx)."""
    port = int(stream.served_by.rsplit(":", 1)[1])
    return f"{stream.name}-{(port - 18000) // 100}"


def open_streams(name, session, base, page, messages):
    """Streams through nginx until each instance holds STREAMS_PER_INSTANCE of them."""
    url, held = base + live_source(page), {}
    for _ in range(6 * STREAMS_PER_INSTANCE):
        stream = EventStream(session, url, messages, name).open()
        held.setdefault(instance_of(stream), []).append(stream)
        if len(held) == 2 and all(len(s) >= STREAMS_PER_INSTANCE for s in held.values()):
            break
    assert len(held) == 2, f"nginx passed every {name} stream to {list(held)}"
    return [stream for streams in held.values() for stream in streams]


def scale_out(*arguments):
    subprocess.run([SCALE_OUT, *arguments], check=True)


def main(express, console, identity, station, data_dir):
    messages = queue.Queue()
    session, page = express_signed_in(express)
    streams = open_streams("express", session, express, page, messages)
    victims = ["express-1"]
    if console:
        session, page = console_signed_in(console, cookies=Path(data_dir).parent / "console-cookies.json")
        streams += open_streams("console", session, console, page, messages)
        victims.append("console-1")
    print("live failover: streams open on " + ", ".join(sorted({instance_of(s) for s in streams})))
    time.sleep(1)
    while not messages.empty():  # what the streams replay from before the change does not count
        messages.get()

    for victim in victims:
        scale_out("kill-instance", victim, "KILL")
    dropped = [s for s in streams if instance_of(s) in victims]
    deadline = time.time() + 10
    while time.time() < deadline and not all(s.ended.is_set() for s in dropped):
        time.sleep(0.1)
    assert all(s.ended.is_set() for s in dropped), "a stream on a killed instance did not end"
    assert not any(s.ended.is_set() for s in streams if s not in dropped), "a stream on a live instance ended"

    care_request = create_care_request(identity, station, secret(data_dir, "cli-m2m"), "Scale-out failover check")
    print(f"live failover: {len(dropped)} streams dropped with {', '.join(victims)}; care request {care_request} "
          "created in Station before they reconnect")
    time.sleep(1)  # the streams' retry: 1000 ms
    for stream in dropped:
        was = instance_of(stream)
        stream.open()
        assert instance_of(stream) != was, f"a {stream.name} stream reconnected to the killed {was}"

    reached = wait_for(messages, care_request, streams, WAIT_SECONDS)
    missed = [f"{s.name} stream (Last-Event-ID {s.last_id})" for s in streams if s not in reached]
    for victim in victims:
        scale_out("start-one", victim)
    if missed:
        print(f"live failover: care request {care_request} did not reach {missed} within {WAIT_SECONDS} s")
        return 1
    print(f"live failover: care request {care_request} reached all {len(streams)} streams, "
          f"{len(dropped)} of them after reconnecting through nginx")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
