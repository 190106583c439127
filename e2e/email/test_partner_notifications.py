"""A partner user who asked for emails about the requests they created hears of a status change, through the real
SMTP server: both parts, the one-click unsubscribe headers, and nothing about the patient's health or identity."""
import base64
import hashlib
import hmac
import json
import re
import subprocess
import time
import uuid
from html import unescape
from urllib.parse import urljoin

import requests

from selfsched_e2e import PASSWORD, machine_token, user_token

SCHEDULER = "scheduler@sunrise.example"


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def signed_in(serve, address):
    """A requests session signed in to Express's pages as `address`, through Identity's form as a browser is."""
    session = requests.Session()
    page = session.get(serve.urls["express"] + "/sign-in", timeout=10)
    form = {name: unescape(value) for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    form.update(email=address, password=PASSWORD)
    landed = session.post(urljoin(page.url, unescape(action)), data=form, timeout=10)
    assert landed.ok and landed.url.startswith(serve.urls["express"]), landed.url
    return session


def choose(serve, session, about):
    profile = session.get(serve.urls["express"] + "/profile", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', profile.text).group(1)
    saved = session.post(serve.urls["express"] + "/profile", timeout=10, data={
        "csrf": csrf, "display_name": "", "time_zone": "America/New_York", "page_size": "25",
        "notify_about": about, "notify_delivery": "immediate"})
    assert saved.ok and "Your preferences were saved" in saved.text


def record_creator(serve, care_request, partner, user):
    """What OSS's signed callback tells Express when a partner user's request is created."""
    secrets = serve.secrets()
    token = machine_token(serve.urls["identity"], "oss-m2m", secrets["oss-m2m"], "express", "express.callbacks.write")
    body = json.dumps({"event": "care_request.created", "care_request_id": care_request, "partner_id": partner,
                       "user_id": user})
    message_id, timestamp = f"msg_{uuid.uuid4().hex}", str(int(time.time()))
    secret = secrets["oss-webhook"]
    key = base64.b64decode(secret[6:]) if secret.startswith("whsec_") else secret.encode()
    signature = base64.b64encode(hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest())
    answer = requests.post(serve.urls["express"] + "/internal/v1/care-request-callbacks", data=body, timeout=10,
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                    "webhook-id": message_id, "webhook-timestamp": timestamp,
                                    "webhook-signature": f"v1,{signature.decode()}"})
    assert answer.status_code in (200, 201, 204), answer.text


def test_a_status_change_reaches_the_creator_by_email_without_phi(mail_serve, mailbox):
    serve = mail_serve
    secrets = serve.secrets()
    access = user_token(serve.urls["identity"], "express", "express-web", secrets["express-web"],
                        serve.urls["express"] + "/auth/callback", SCHEDULER)
    who = claims(access)
    partner, user = who["partner_id"], who["user_id"]
    station = {"Authorization": "Bearer " + machine_token(serve.urls["identity"], "cli-m2m", secrets["cli-m2m"],
                                                          "station")}
    listed = requests.get(f"{serve.urls['station']}/v1/partners/{partner}/care-requests?limit=100", headers=station,
                          timeout=10).json()["items"]
    request = next(item for item in listed if item["status"] == "requested")
    detail = requests.get(f"{serve.urls['station']}/v1/partners/{partner}/care-requests/{request['id']}",
                          headers=station, timeout=10).json()

    choose(serve, signed_in(serve, SCHEDULER), "created_by_me")
    record_creator(serve, request["id"], partner, user)
    moved = subprocess.run([serve.binary, "station", "set-status", request["id"], "accepted", "--data-dir",
                            serve.data_dir], capture_output=True, text=True, timeout=120)
    assert moved.returncode == 0, moved.stderr

    [mail] = mailbox.wait_for(1, match=lambda m: SCHEDULER in m.envelope_to, timeout=60)
    subject, text, html = mail.header("Subject"), mail.text, mail.html
    assert subject == "Care request update: Accepted"
    link = f"{serve.urls['express']}/care-requests/{request['id']}"
    assert link in text and link in html and "is now: Accepted." in text
    unsubscribe = mail.header("List-Unsubscribe")
    assert re.fullmatch(r"<http://localhost:\d+/unsubscribe/[A-Za-z0-9_.-]+>", unsubscribe), unsubscribe
    assert mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in text and unsubscribe[1:-1] in html

    # Nothing about the patient beyond (at most) the first name: this email carries none of it.
    patient, address = detail["patient"], detail["visit_address"]
    needles = [patient["family_name"], patient["date_of_birth"], patient.get("phone"), address["line1"],
               address["zip"], detail["chief_complaint"]]
    for needle in filter(None, needles):
        for part in (subject, text, html):
            assert needle not in part, f"{needle!r} is in the email"

    # The link unsubscribes with one POST and no session (RFC 8058).
    done = requests.post(unsubscribe[1:-1], data={"List-Unsubscribe": "One-Click"}, timeout=10)
    assert done.status_code == 200 and "You are unsubscribed" in done.text
