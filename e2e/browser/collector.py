"""A collector speaking Segment's HTTP tracking API (`POST /v1/batch`), for the browser tier (issue 19): `selfsched
serve` runs with ANALYTICS_URL pointing here. It checks the write key (HTTP Basic, the key as the user name and an
empty password, as Segment's libraries send it; 401 otherwise), answers 500 to the first batch it is sent, so the
sender must retry it, and 200 to the rest, and keeps every request in arrival order for the tests to read."""
import base64
import gzip
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 600 * 1024  # Segment refuses batches over 500 KB; a little more, to see what a sender really sends


@dataclass
class Received:
    """One request as it arrived: its answer, whether its write key was right, its raw body and its batch."""
    number: int
    path: str
    status: int
    authorized: bool
    body: str
    batch: dict = field(default_factory=dict)

    @property
    def messages(self):
        return self.batch.get("batch", []) if isinstance(self.batch, dict) else []


class Collector:
    """`start()` serves on a free port of 127.0.0.1 in a thread; `url` is what ANALYTICS_URL gets."""

    def __init__(self, write_key):
        self.write_key = write_key
        self.expected_authorization = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
        self._received = []
        self._lock = threading.Lock()
        self._refused_first = False
        self._server = None
        self._thread = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self):
        collector = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as an HTTP client pool expects

            def do_POST(self):  # noqa: N802 (http.server's name)
                collector._handle(self)

            def do_GET(self):  # noqa: N802
                self._answer(404, {"error": "not found"})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet: the test reads what was recorded
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="analytics collector", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(min(length, MAX_BODY)) if length else b""
        if handler.headers.get("Content-Encoding", "").lower() == "gzip":
            raw = gzip.decompress(raw)
        body = raw.decode("utf-8", errors="replace")
        authorized = handler.headers.get("Authorization") == self.expected_authorization
        path = handler.path.split("?")[0]
        with self._lock:
            if path != "/v1/batch":
                status = 404
            elif not authorized:
                status = 401
            elif not self._refused_first:
                self._refused_first = True
                status = 500
            else:
                status = 200
            try:
                batch = json.loads(body) if body else {}
            except ValueError:
                batch, status = {}, (400 if status == 200 else status)
            self._received.append(Received(len(self._received) + 1, path, status, authorized, body, batch))
        payload = {"success": True} if status == 200 else {"error": f"status {status}"}
        handler._answer(status, payload)

    def received(self):
        """Every request so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._received)

    def delivered(self):
        """The messages of the batches answered 2xx, in arrival order, each once (by messageId)."""
        seen, messages = set(), []
        for request in self.received():
            if 200 <= request.status < 300:
                for message in request.messages:
                    if message.get("messageId") not in seen:
                        seen.add(message.get("messageId"))
                        messages.append(message)
        return messages

    def wait_for(self, condition, what, timeout=60):
        """Waits until `condition(delivered messages)` holds (the pipeline sends within ANALYTICS_FLUSH_MS, plus
        its retry's back-off); returns the messages, or fails saying what did not arrive."""
        deadline = time.time() + timeout
        while True:
            messages = self.delivered()
            if condition(messages):
                return messages
            if time.time() > deadline:
                names = [m.get("event") or m.get("type") for m in messages][-40:]
                raise AssertionError(f"the collector did not receive {what} in {timeout} s; it has "
                                     f"{len(messages)} messages, the last: {names}")
            time.sleep(0.2)
