"""The HTML forms of issue 16 (Identity's forgot-password, reset, sign-up, invitation renewal, second-factor code and
enrolment; OSS's people; Express's user edit), fuzzed as the OpenAPI operations are: each form is opened as a person
opens it (a valid CSRF token, a real link or sign-in where it needs one), then sent with generated values in every
field but the CSRF token (hidden ones too: tokens, the authorization request) and fields left out. No answer may be
a 5xx, and the process must not exit. Runs before test_openapi.py (file order), with few cases for the forms whose
wrong answers count in the sign-in throttle, so the API fuzzing's own sign-ins are never held up."""
import email
import email.policy
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from second_factor import CODE_LABEL, ENROL_BUTTON, Page, answer_second_factor
from selfsched_e2e import PASSWORD, machine_token
from test_openapi import SEED

EXAMPLES = 40
THROTTLED_EXAMPLES = 6  # forms whose wrong answers count against the sign-in throttle of 127.0.0.1
OMIT = object()
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
EDGES = st.sampled_from([
    "", " ", "0", "-1", "000000", "99999999999999999999", "a@b", "@", "x" * 129, "x" * 20000, "\u0000", "%00",
    "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "😀" * 40, "e\u0301" * 12, "patient@example.com",
    "admin@sunrise.example", "abcd-efgh", "true", "null", "[]", "{}", "ZZZZ-ZZZZ-ZZZZ", str(uuid.uuid4()),
])


KEEP = object()
# One drawn value per field, in the form's order; the draws do not depend on the page (a form may change between
# cases, e.g. OSS's first people page and the next), so Hypothesis can replay and shrink a case.
VALUES = st.lists(st.one_of(st.just(KEEP), TEXT, EDGES, st.emails(), st.just(OMIT)), min_size=12, max_size=12)


@dataclass
class Form:
    name: str
    button: str
    open: callable  # (session, serve) -> the answer with the page holding the form; called before each case
    examples: int = EXAMPLES
    prepare: callable = None  # (session, serve), once per form: e.g. signing the session in


def emailed_link(serve, address, path, timeout=30):
    """The newest `path` link emailed to `address` (this tier's serve writes .eml files under <data dir>/mail)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = []
        for file in Path(serve.data_dir, "mail").rglob("*.eml"):
            message = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
            if address in str(message["To"]):
                found += [(file.stat().st_mtime, link) for link in re.findall(
                    rf"https?://[^\s<>\"']+/{path}\?token=[^\s<>\"']+", message.get_body(("plain",)).get_content())]
        if found:
            return max(found)[1]
        time.sleep(0.3)
    raise AssertionError(f"no {path} link was emailed to {address}")


def get(session, url):
    return session.get(url, timeout=10)


def fill_form(session, page, fields):
    """Sends the page's form of these fields (by label) as a person would; returns the answer."""
    form = Page(page.text)
    values, chosen = {}, None
    for label, text in fields.items():
        chosen, name = form.field(label)
        values[name] = text
    return session.post(urljoin(page.url, chosen["action"]), data={**chosen["fields"], **values}, timeout=10)


def signed_in(session, serve, start, email, password=PASSWORD):
    """Signs `session` in on the Identity form `start` leads to, through the second factor when there is one."""
    page = get(session, start)
    form = Page(page.text)
    chosen, email_field = form.field("Email")
    data = {**chosen["fields"], email_field: email, form.field("Password")[1]: password}
    answer = session.post(urljoin(page.url, chosen["action"]), data=data, allow_redirects=False, timeout=10)
    answer = answer_second_factor(session, answer, email)
    if answer.is_redirect:
        answer = session.get(urljoin(answer.url, answer.headers["Location"]), timeout=10)
    return answer


def new_express_account(serve, password=None):
    token = machine_token(serve.urls["identity"], "express-m2m", serve.secrets()["express-m2m"], "identity",
                          "identity.accounts.write")
    address = f"fuzz-{uuid.uuid4().hex[:8]}@sunrise.example"
    made = requests.post(serve.urls["identity"] + "/express/management/accounts", timeout=10,
                         headers={"Authorization": f"Bearer {token}"}, json={"email": address, "name": "Fuzz Form"})
    assert made.status_code == 201, made.text
    body = made.json()
    if password:
        session = requests.Session()
        page = get(session, body["set_password_url"])
        done = fill_form(session, page, {"New password (at least 12 characters)": password,
                                         "Repeat the password": password})
        assert "Your password is set" in done.text, done.text[:300]
    return address, body, token


def linked(session, start, text):
    """The page the link `text` leads to from the page at `start` (e.g. Forgot password? on a sign-in page)."""
    page = get(session, start)
    href = Page(page.text).link(text)
    assert href, f"no link {text!r} on {page.url}"
    return get(session, urljoin(page.url, href))


RESET_LINKS = []


def reset_page(session, serve):
    """A reset link of a demo account no fuzzed caller signs in as, asked for once (the address's resets are rate
    limited); a case that happened to set a password used it, and the next asks for another."""
    if not RESET_LINKS or "Set new password" not in get(session, RESET_LINKS[-1]).text:
        fill_form(session, get(session, serve.urls["identity"] + "/express/forgot-password"),
                  {"Email": "monitor@sunrise.example"})
        time.sleep(1)  # a newer file than the last link's
        RESET_LINKS.append(emailed_link(serve, "monitor@sunrise.example", "reset-password"))
    return get(session, RESET_LINKS[-1])


def renew_page(session, serve):
    """The page of an invitation link that a newer one replaced: "Send me a new link"."""
    _, body, token = new_express_account(serve)
    again = requests.post(f"{serve.urls['identity']}/express/management/accounts/{body['account_id']}/invitation",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert again.status_code == 201, again.text
    return get(session, body["set_password_url"])


def code_page(session, serve):
    """The code page of an enrolled demo admin that no fuzzed caller signs in as, after the right password."""
    page = get(session, serve.urls["express"] + "/")
    if CODE_LABEL in page.text:
        return page
    form = Page(page.text)
    chosen, email_field = form.field("Email")
    data = {**chosen["fields"], email_field: "admin@mercy.example", form.field("Password")[1]: PASSWORD}
    return session.post(urljoin(page.url, chosen["action"]), data=data, timeout=10)


ENROLLING = {}


def enrolment_page(session, serve):
    """The enrolment offered on the security page of a new Express account (no role that requires it)."""
    if "address" not in ENROLLING:
        ENROLLING["password"] = "Fuzzed harbor " + uuid.uuid4().hex[:6]
        ENROLLING["address"] = new_express_account(serve, ENROLLING["password"])[0]
    page = get(session, serve.urls["identity"] + "/express/account/security")
    if "Password" in page.text and ENROL_BUTTON not in page.text:
        form = Page(page.text)
        chosen, email_field = form.field("Email")
        data = {**chosen["fields"], email_field: ENROLLING["address"], form.field("Password")[1]: ENROLLING["password"]}
        page = session.post(urljoin(page.url, chosen["action"]), data=data, timeout=10)
    if ENROL_BUTTON not in page.text:
        start = Page(page.text).form_with_button("Set up two-step sign-in")
        if start:
            page = session.post(urljoin(page.url, start[0]["action"]), data=start[0]["fields"], timeout=10)
    return page


EDIT_PAGES = []


def user_edit_page(session, serve):
    """The edit page of the demo viewer (no fuzzed caller signs in as the viewer), found once by its email (a case
    may change it)."""
    if not EDIT_PAGES:
        users = get(session, serve.urls["express"] + "/users")
        row = re.search(r"<tr>(?:(?!</tr>).)*viewer@sunrise\.example(?:(?!</tr>).)*</tr>", users.text, re.S)
        assert row, users.text[:300]
        EDIT_PAGES.append(urljoin(users.url, re.search(r'href="(/users/[^"]+/edit)"', row.group(0)).group(1)))
    return get(session, EDIT_PAGES[0])


FORMS = [
    Form("identity reset-password", "Set new password", reset_page, examples=10),
    Form("identity forgot-password (express)", "Send reset link",
         lambda s, serve: linked(s, serve.urls["express"] + "/", "Forgot password?")),
    Form("identity forgot-password (patients)", "Send reset link",
         lambda s, serve: linked(s, serve.urls["oss"] + "/", "Forgot password?")),
    Form("identity sign-up", "Create account", lambda s, serve: linked(s, serve.urls["oss"] + "/", "Create an account")),
    Form("identity set-password renewal", "Send me a new link", renew_page, examples=10),
    Form("identity second-factor code", "Verify", code_page, examples=THROTTLED_EXAMPLES),
    Form("identity second-factor enrolment", ENROL_BUTTON, enrolment_page, examples=THROTTLED_EXAMPLES),
    Form("oss people", "Save", lambda s, serve: get(s, serve.urls["oss"] + "/people/new"),
         prepare=lambda s, serve: signed_in(s, serve, serve.urls["oss"] + "/sign-in?return=/", "patient@example.com")),
    Form("express user edit", "Save changes", user_edit_page, examples=20,
         prepare=lambda s, serve: signed_in(s, serve, serve.urls["express"] + "/", "admin@sunrise.example")),
    # Issue 18: Express's "Connect an EHR" form (name and a public key, sent on to Identity's registration).
    Form("express ehr connection", "Register key", lambda s, serve: get(s, serve.urls["express"] + "/ehr-connections"),
         examples=30,
         prepare=lambda s, serve: signed_in(s, serve, serve.urls["express"] + "/", "admin@sunrise.example")),
]


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_form(form, fuzz, serve):
    label = f"form: {form.name}"
    session = requests.Session()
    if form.prepare:
        form.prepare(session, serve)
    opened = []

    @seed(SEED)
    @settings(max_examples=form.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(values=VALUES)
    def send(values):
        page = form.open(session, serve)
        found = Page(page.text).form_with_button(form.button)
        assert found or opened, f"{form.name}: no form with the button {form.button!r} on {page.url}: {page.text[:300]}"
        if not found:  # an earlier case closed it (a password set, an account throttled): nothing to send
            return
        opened.append(page.url)
        chosen, button, button_value = found
        drawn = iter(values)
        sent = {}
        for name, original in [*chosen["fields"].items(), *((n, o[0]) for n, o in chosen["options"].items())]:
            choice = KEEP if name == "csrf" else next(drawn, KEEP)
            if choice is not OMIT:
                sent[name] = original if choice is KEEP else choice
        if button:
            sent[button] = button_value
        target = urljoin(page.url, chosen["action"] or page.url)
        description = f"POST {target} {sorted(sent)}"
        try:
            answer = session.post(target, data=sent, allow_redirects=False, timeout=20)
        except (requests.ConnectionError, requests.Timeout):
            if not serve.alive():
                fuzz.record_exit(label, description)
                pytest.fail(fuzz.died_message(None), pytrace=False)
            raise
        fuzz.statuses[label][answer.status_code] += 1
        assert answer.status_code < 500, f"{label}: {answer.status_code} for {description}: {answer.text[:500]}"

    send()
