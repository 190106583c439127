"""Express's EHR connections page in Chromium beyond the happy path the tier's fixture takes: a JWKS pasted with its
own key id, a private key refused with the typed text kept, and a removed connection whose key no longer gets a
token."""
import json
import re
import socket
import time
from urllib.parse import urlencode, urlparse

import requests

from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm

from conftest import fact
from second_factor import answer_second_factor
from selfsched_e2e import PASSWORD
from fhir_support import EHRKey

ADMIN = "admin@mercy.example"
# Each admin signs in here at most twice more after the tier's fixture (a third sign-in in 30 s waits for a code).
OTHER_ADMIN = "admin@sunrise.example"


def open_page(b, serve, admin=ADMIN):
    b.go(serve.urls["express"] + "/")
    b.sign_in(admin)
    b.link("EHR connections")
    assert "Connect an EHR" in b.text


def test_a_jwks_registers_with_its_key_id_and_removal_ends_its_tokens(serve, browser):
    b, key = browser, EHRKey()
    jwk = json.loads(RSAAlgorithm.to_jwk(key.private.public_key()))
    jwks = json.dumps({"keys": [{**jwk, "kid": "mercy-epic-2026", "use": "sig", "alg": "RS384"}]})
    with b.step("sign in and open EHR connections"):
        open_page(b, serve)
    with b.step("paste a JWKS"):
        b.fill("Name", "Mercy JWKS")
        b.fill("Public key", jwks)
        b.press("Register key")
        assert "is registered" in b.text, b.text[:800]
        key.client_id, key.key_id = fact(b, "Client id"), fact(b, "Key ids")
        key.token_url, key.fhir_base = fact(b, "Token URL"), fact(b, "FHIR base URL")
        assert key.key_id == "mercy-epic-2026"
    assert key.token()["access_token"]
    with b.step("remove it after the confirm step"):
        b.link("Back to EHR connections")
        row = b.driver.find_element("xpath", f"//tr[td[contains(., '{key.client_id}')]]")
        b.click(row.find_element("xpath", ".//a[contains(normalize-space(), 'Remove')]"))
        b.press("Remove connection")
        assert key.client_id not in " ".join(b.rows())
    refused = key.token_answer()
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client", refused.text


def test_a_private_key_is_refused_and_the_typed_text_kept(serve, browser):
    b, key = browser, EHRKey()
    private_pem = key.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()).decode()
    with b.step("sign in and open EHR connections"):
        open_page(b, serve, OTHER_ADMIN)
    with b.step("paste the PRIVATE key by mistake"):
        b.fill("Name", "Sunrise mistake")
        b.fill("Public key", private_pem)
        b.press("Register key")
        assert "This is a private key: paste the PUBLIC key only" in b.text, b.text[:500]
        kept = b.field("Public key").get_attribute("value")
        assert kept.replace("\r\n", "\n").strip() == private_pem.strip()
        assert b.field("Name").get_attribute("value") == "Sunrise mistake"


def test_a_form_whose_body_arrives_after_its_headers_is_accepted(serve):
    """A pasted key makes a form of about 2 KB, whose body may arrive in a later read than its headers; the CSRF
    check (Platform's RequireCSRF, a route-group middleware) must read the token from the whole body, which Vapor
    collects only at the route. Sent here byte-exact over a socket, once in one write, once with the body after the
    headers, once with the body in two pieces, and a 2 KB form: each must get the form's own
    answer (422, the fields' messages), never 403 "This form expired"."""
    session = requests.Session()
    express = serve.urls["express"]
    page = session.get(express + "/", timeout=10)
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
    answer = session.post(requests.compat.urljoin(page.url, action), allow_redirects=False, timeout=10,
                          data={**fields, "email": ADMIN, "password": PASSWORD})
    answer = answer_second_factor(session, answer, ADMIN)
    while answer.is_redirect:
        answer = session.get(requests.compat.urljoin(answer.url, answer.headers["Location"]), allow_redirects=False,
                             timeout=10)
    form = session.get(express + "/ehr-connections", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    body = urlencode({"csrf": csrf, "name": "", "public_key": ""}).encode()
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    port = urlparse(express).port
    head = (f"POST /ehr-connections HTTP/1.1\r\nHost: localhost:{port}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"Cookie: {cookie}\r\nConnection: close\r\n\r\n").encode()

    def status(pieces):
        with socket.create_connection(("localhost", port), timeout=10) as sock:
            for index, piece in enumerate(pieces):
                if index:
                    time.sleep(0.3)
                sock.sendall(piece)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        return received.split(b"\r\n", 1)[0].decode()

    assert status([head + body]) == "HTTP/1.1 422 Unprocessable Entity"
    assert status([head, body]) == "HTTP/1.1 422 Unprocessable Entity"
    assert status([head, body[:20], body[20:]]) == "HTTP/1.1 422 Unprocessable Entity", "a body in two pieces"
    large = urlencode({"csrf": csrf, "name": "", "public_key": "not a key " * 200}).encode()
    large_head = head.replace(f"Content-Length: {len(body)}".encode(), f"Content-Length: {len(large)}".encode())
    assert status([large_head + large]) == "HTTP/1.1 422 Unprocessable Entity", "a 2 KB form in one write"
