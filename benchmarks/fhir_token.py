"""Registers an EHR backend client for a partner through Identity's management API (a new RSA key, as Express's
EHR connections page does) and prints a FHIR access token for it, got the way an EHR gets one: a client_credentials
request authenticated by a JWT signed with the client's key (RFC 7523 private_key_jwt, SMART Backend Services)."""
import sys
import time
import uuid

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from common import token

partner, data = sys.argv[1:3]
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pem = key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
m2m = token(data, scope="identity.clients.write", client="express-m2m", audience="identity")
registered = requests.post(
    "http://localhost:8083/express/management/backend-clients",
    json={"partner_id": partner, "name": "Benchmark EHR", "public_key": pem},
    headers={"Authorization": f"Bearer {m2m}"}, timeout=10)
registered.raise_for_status()
client = registered.json()
now = int(time.time())
assertion = jwt.encode(
    {"iss": client["client_id"], "sub": client["client_id"], "aud": client["token_url"], "iat": now,
     "exp": now + 240, "jti": str(uuid.uuid4())},
    key, algorithm="RS384", headers={"kid": client["key_ids"][0]})
answer = requests.post(client["token_url"], data={
    "grant_type": "client_credentials", "scope": "system/*.read",
    "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    "client_assertion": assertion}, timeout=10)
answer.raise_for_status()
print(answer.json()["access_token"])
