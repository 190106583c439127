"""The email tier: a real SMTP server (aiosmtpd from PyPI) that keeps what it receives, in three set-ups (plain,
STARTTLS with AUTH, implicit TLS), and a `selfsched serve` whose mail goes to the plain one through SMTP_URL.

Fixtures for other mail tests:
- `smtp_server` (session): plain SMTP on 127.0.0.1; `.url` is its SMTP_URL, `.mailbox` what it received.
- `mailbox` (per test): `smtp_server.mailbox`, emptied first; `mailbox.wait_for(count, match=...)` returns the
  messages (each a `Received`: `.envelope_to`, `.message` (email.message.EmailMessage), `.text`, `.html`,
  `.header(name)`) or fails after a timeout; `mailbox.refusals[address] = "451 4.3.0 Try later"` makes the
  server refuse that recipient.
- `mail_serve` (session): a real `selfsched serve` (the `Serve` of e2e/selfsched_e2e.py) started with SMTP_URL
  pointing at `smtp_server`, MAIL_FROM = `MAIL_FROM` below and invitations that lapse after 45 seconds.
- `secure_smtp_server` / `smtps_server` (session): STARTTLS required with AUTH (user `mailer`, password
  `PASSWORD`), and TLS from the first byte; `certificates` has the throwaway CA that signed their certificate.
"""
import email
import email.policy
import os
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selfsched_e2e import ROOT, Serve, free_ports  # noqa: E402

BINARY = os.environ.get("SELFSCHED_BIN", str(ROOT / ".build" / "debug" / "selfsched"))
MAIL_FROM = "SelfScheduling Tests <no-reply@selfsched.test>"
USER = "mailer"
PASSWORD = "s3cret:with@signs"


@dataclass
class Received:
    """One message as the SMTP server received it."""

    envelope_from: str
    envelope_to: list
    raw: bytes
    tls: bool
    login: str | None
    message: email.message.EmailMessage = field(init=False)

    def __post_init__(self):
        self.message = email.message_from_bytes(self.raw, policy=email.policy.default)

    def header(self, name):
        return self.message[name]

    def part(self, content_type):
        parts = [p for p in self.message.walk() if p.get_content_type() == content_type]
        assert len(parts) == 1, f"expected one {content_type} part, found {len(parts)}"
        return parts[0].get_content()

    @property
    def text(self):
        return self.part("text/plain")

    @property
    def html(self):
        return self.part("text/html")


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self._messages = []
        self._lock = threading.Lock()
        self.refusals = {}  # recipient address -> the reply to its RCPT TO, e.g. "550 5.1.1 No such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                            session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None,
                            login)
        with self._lock:
            self._messages.append(received)
        return "250 Message accepted"

    @property
    def messages(self):
        with self._lock:
            return list(self._messages)

    def clear(self):
        with self._lock:
            self._messages.clear()
        self.refusals = {}

    def wait_for(self, count=1, match=None, timeout=30):
        """The first `count` messages that satisfy `match` (all, without it), waiting up to `timeout` seconds."""
        deadline = time.time() + timeout
        while True:
            found = [m for m in self.messages if match is None or match(m)]
            if len(found) >= count:
                return found[:count]
            if time.time() > deadline:
                raise AssertionError(f"{len(found)} of {count} expected messages arrived in {timeout} s")
            time.sleep(0.1)


class SMTPServer:
    def __init__(self, url, mailbox, controller):
        self.url = url
        self.mailbox = mailbox
        self.controller = controller


def start_server(scheme="smtp", query="", credentials=None, host="127.0.0.1", url_host=None, **parameters):
    mailbox = Mailbox()
    port = free_ports(1)[0]
    controller = Controller(mailbox, hostname=host, port=port, **parameters)
    controller.start()
    userinfo = f"{credentials}@" if credentials else ""
    url = f"{scheme}://{userinfo}{url_host or host}:{port}{query}"
    return SMTPServer(url, mailbox, controller)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@pytest.fixture(scope="session")
def certificates(tmp_path_factory):
    """A throwaway CA and a certificate for `localhost` it signed (openssl), and a server TLS context."""
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*arguments):
        subprocess.run(["openssl", *arguments], cwd=folder, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=selfsched test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=localhost")
    (folder / "server.ext").write_text("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                                       "subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "server.pem", folder / "server.key")
    return {"ca": str(folder / "ca.pem"), "context": context}


@pytest.fixture(scope="session")
def smtp_server():
    server = start_server(query="?tls=none")
    yield server
    server.controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.mailbox.clear()
    return smtp_server.mailbox


@pytest.fixture(scope="session")
def secure_smtp_server(certificates):
    """STARTTLS required, AUTH required and only after STARTTLS. `.url` has the credentials, without ca=."""
    server = start_server(credentials=f"{USER}:s3cret%3Awith%40signs", url_host="localhost",
                          tls_context=certificates["context"], require_starttls=True, authenticator=authenticator,
                          auth_required=True, auth_require_tls=True)
    yield server
    server.controller.stop()


@pytest.fixture(scope="session")
def smtps_server(certificates):
    server = start_server(scheme="smtps", url_host="localhost", ssl_context=certificates["context"])
    yield server
    server.controller.stop()


@pytest.fixture(scope="session")
def mail_serve(smtp_server):
    # Invitations lapse after 45 seconds here, so test_accounts.py sees one expire.
    serve = Serve(env={"SMTP_URL": smtp_server.url, "MAIL_FROM": MAIL_FROM, "IDENTITY_INVITATION_TTL_SECONDS": "45"})
    try:
        yield serve.start()
    finally:
        serve.stop()


def selfsched(*arguments, env=None, data_dir=None):
    """Runs the selfsched binary; returns the finished process (output as text)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SMTP_URL", "MAIL_FROM")}
    environment.update(env or {})
    command = [BINARY, *arguments] + (["--data-dir", str(data_dir)] if data_dir else [])
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120, cwd=ROOT)
