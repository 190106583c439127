"""A third-party OIDC client library (authlib) runs the code + PKCE flow against our Identity."""
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt

REDIRECT = "http://127.0.0.1:8999/callback"


def sign_in(authorize_url: str, email: str, password: str) -> str:
    """Fills Identity's login form as a browser would; returns the redirect back to the client."""
    browser = requests.Session()
    page = browser.get(authorize_url, allow_redirects=False)
    assert page.status_code == 200, page.text
    form = {name: unescape(value) for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    form.update(email=email, password=password)
    base = f"{urlparse(authorize_url).scheme}://{urlparse(authorize_url).netloc}"
    answer = browser.post(base + action, data=form, allow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer.headers["Location"]


def test_code_flow_with_pkce_and_token_validation(identity):
    issuer = f"{identity['base']}/patients"
    discovery = requests.get(f"{issuer}/.well-known/openid-configuration").json()
    assert discovery["issuer"] == issuer
    assert discovery["code_challenge_methods_supported"] == ["S256"]

    client = OAuth2Session(
        "interop-test", identity["secrets"]["interop-test"], scope="openid email profile",
        redirect_uri=REDIRECT, code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic",
    )
    verifier, nonce = generate_token(64), generate_token(16)
    url, state = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    callback = sign_in(url, "patient@example.com", "selfsched-demo")
    assert parse_qs(urlparse(callback).query)["state"] == [state]

    token = client.fetch_token(discovery["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"]).json())
    claims = jwt.decode(token["id_token"], keys, claims_options={
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": "interop-test"},
        "nonce": {"essential": True, "value": nonce},
    })
    claims.validate()
    assert claims["email"] == "patient@example.com"

    userinfo = client.get(discovery["userinfo_endpoint"]).json()
    assert userinfo["email"] == "patient@example.com"


def test_a_wrong_verifier_is_refused(identity):
    issuer = f"{identity['base']}/patients"
    discovery = requests.get(f"{issuer}/.well-known/openid-configuration").json()
    client = OAuth2Session("interop-test", identity["secrets"]["interop-test"], scope="openid",
                           redirect_uri=REDIRECT, code_challenge_method="S256")
    url, _ = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=generate_token(64))
    callback = sign_in(url, "patient@example.com", "selfsched-demo")
    code = parse_qs(urlparse(callback).query)["code"][0]
    answer = requests.post(discovery["token_endpoint"], auth=("interop-test", identity["secrets"]["interop-test"]), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": generate_token(64),
    })
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
