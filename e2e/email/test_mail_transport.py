"""Our SMTP client (SwiftNIO) against a real SMTP server (aiosmtpd): `selfsched mail send-test` through SMTP_URL,
plain, STARTTLS with AUTH, and implicit TLS; what it refuses; and the .eml files written without SMTP_URL."""
import email
import email.policy
import socket
from pathlib import Path

from conftest import MAIL_FROM, USER, authenticator, selfsched, start_server

SUBJECT = "Prüfung ✓ — SelfScheduling"


def send_test(server_url, to="ana@example.org", tmp_path=None, subject=SUBJECT):
    return selfsched("mail", "send-test", "--to", to, "--subject", subject,
                     env={"SMTP_URL": server_url, "MAIL_FROM": MAIL_FROM}, data_dir=tmp_path)


def test_send_test_arrives_with_recipient_subject_both_parts_and_headers(mailbox, smtp_server, tmp_path):
    sent = send_test(smtp_server.url, to="Ana Example <ana@example.org>", tmp_path=tmp_path)
    assert sent.returncode == 0, sent.stderr + sent.stdout
    assert "via SMTP smtp://127.0.0.1:" in sent.stdout

    [received] = mailbox.wait_for(1)
    assert received.envelope_from == "no-reply@selfsched.test"
    assert received.envelope_to == ["ana@example.org"]
    assert received.header("To") == "Ana Example <ana@example.org>"
    assert received.header("From") == MAIL_FROM
    assert received.header("Subject") == SUBJECT
    assert received.header("MIME-Version") == "1.0"
    assert received.header("Message-ID").startswith("<") and received.header("Message-ID").endswith("@selfsched.test>")
    assert received.header("Message-ID").strip("<>") in sent.stdout
    assert received.header("Date").datetime is not None
    assert received.header("X-SelfScheduling-Test") == "yes"
    assert received.message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in received.message.iter_parts()] == ["text/plain", "text/html"]
    assert "If you can read it, mail works." in received.text
    assert "<strong>SelfScheduling</strong>" in received.html
    # What went over the wire: CRLF lines, the subject as RFC 2047 encoded words, quoted-printable bodies.
    assert b"\r\nSubject: =?UTF-8?B?" in received.raw
    assert b"Content-Transfer-Encoding: quoted-printable" in received.raw
    assert b"\n" not in received.raw.replace(b"\r\n", b"")
    # Nothing was written to the data directory: the mail went to SMTP.
    assert not (tmp_path / "mail").exists()


def test_starttls_and_auth_against_a_server_that_requires_both(secure_smtp_server, certificates, tmp_path):
    secure_smtp_server.mailbox.clear()
    sent = send_test(secure_smtp_server.url + f"?ca={certificates['ca']}", tmp_path=tmp_path)
    assert sent.returncode == 0, sent.stderr + sent.stdout
    [received] = secure_smtp_server.mailbox.wait_for(1)
    assert received.tls, "the message was not sent over STARTTLS"
    assert received.login == USER
    assert received.header("Subject") == SUBJECT
    assert "***" in sent.stdout and "s3cret" not in sent.stdout


def test_wrong_password_is_a_permanent_failure(secure_smtp_server, certificates, tmp_path):
    url = secure_smtp_server.url.replace("s3cret%3Awith%40signs", "wrong") + f"?ca={certificates['ca']}"
    sent = send_test(url, tmp_path=tmp_path)
    assert sent.returncode != 0
    assert "SMTP permanent failure at AUTH PLAIN: 535" in sent.stderr + sent.stdout
    assert "wrong" not in sent.stderr + sent.stdout


def test_a_certificate_from_an_unknown_ca_is_refused(secure_smtp_server, tmp_path):
    secure_smtp_server.mailbox.clear()
    sent = send_test(secure_smtp_server.url, tmp_path=tmp_path)
    assert sent.returncode != 0
    assert "certificate" in (sent.stderr + sent.stdout).lower()
    assert secure_smtp_server.mailbox.messages == []


def test_implicit_tls_for_smtps(smtps_server, certificates, tmp_path):
    smtps_server.mailbox.clear()
    sent = send_test(smtps_server.url + f"?ca={certificates['ca']}", to="ops@example.org", tmp_path=tmp_path)
    assert sent.returncode == 0, sent.stderr + sent.stdout
    [received] = smtps_server.mailbox.wait_for(1)
    assert received.tls and received.envelope_to == ["ops@example.org"]


def test_credentials_are_never_sent_without_tls(mailbox, smtp_server, tmp_path):
    url = smtp_server.url.replace("smtp://", f"smtp://{USER}:pw@").replace("?tls=none", "")
    sent = send_test(url, tmp_path=tmp_path)
    assert sent.returncode != 0
    assert "credentials are never sent unencrypted" in sent.stderr + sent.stdout
    assert mailbox.messages == []


def test_without_smtp_url_mail_is_an_eml_file_that_mail_list_shows(tmp_path):
    for subject in ["First message", SUBJECT]:
        sent = selfsched("mail", "send-test", "--to", "ana@example.org", "--subject", subject, data_dir=tmp_path)
        assert sent.returncode == 0, sent.stderr + sent.stdout
        assert f"files in {tmp_path}/mail" in sent.stdout
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    message = email.message_from_bytes(files[-1].read_bytes(), policy=email.policy.default)
    assert message["Subject"] == SUBJECT and message["To"] == "ana@example.org"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert oct(files[-1].stat().st_mode & 0o777) == "0o600"

    listed = selfsched("mail", "list", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 2
    assert SUBJECT in lines[0] and "First message" in lines[1], "newest first"
    assert all("ana@example.org" in line for line in lines)


def test_mail_list_of_an_empty_data_dir(tmp_path):
    listed = selfsched("mail", "list", data_dir=tmp_path)
    assert listed.returncode == 0 and listed.stdout.startswith("No mail in ")


def test_a_refused_recipient_is_named_as_a_transient_or_permanent_failure(mailbox, smtp_server, tmp_path):
    mailbox.refusals["later@example.org"] = "451 4.3.0 Try again later"
    mailbox.refusals["nobody@example.org"] = "550 5.1.1 No such user"
    transient = send_test(smtp_server.url, to="later@example.org", tmp_path=tmp_path)
    assert transient.returncode != 0
    assert "SMTP transient failure at RCPT TO (recipient 1 of 1): 451" in transient.stderr
    permanent = send_test(smtp_server.url, to="nobody@example.org", tmp_path=tmp_path)
    assert permanent.returncode != 0
    assert "SMTP permanent failure at RCPT TO (recipient 1 of 1): 550" in permanent.stderr
    assert mailbox.messages == []


def test_a_server_that_never_answers_times_out(tmp_path):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        sent = send_test(f"smtp://127.0.0.1:{port}?tls=none&timeout=1", tmp_path=tmp_path)
    assert sent.returncode != 0
    assert "SMTP transient failure: no reply to the greeting in time" in sent.stderr


def test_auth_login_when_the_server_offers_no_plain(certificates, tmp_path):
    server = start_server(credentials=f"{USER}:s3cret%3Awith%40signs", url_host="localhost",
                          tls_context=certificates["context"], require_starttls=True, authenticator=authenticator,
                          auth_required=True, auth_exclude_mechanism=["PLAIN"])
    try:
        sent = send_test(server.url + f"?tls=starttls&ca={certificates['ca']}", tmp_path=tmp_path)
        assert sent.returncode == 0, sent.stderr + sent.stdout
        [received] = server.mailbox.wait_for(1)
        assert received.tls and received.login == USER
    finally:
        server.controller.stop()
