"""Identity's second factor (issue 16) for the tests that sign in: TOTP codes from `pyotp` (a third-party RFC 6238
implementation, not ours), the secrets of the accounts that have one, and a requests session's way through the code
page, the enrolment page and the recovery codes after the password. No Selenium here, so scripts can use it too."""
import re
import threading
import time
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

# The demo accounts that must use a second factor are seeded enrolled with this public demo secret (Identity's
# DemoIdentities.totpSecret, printed by `selfsched serve` with the demo password).
DEMO_TOTP_SECRET = "SELFSCHEDULINGDEMOSECONDFACTORAA"
DEMO_TOTP_ACCOUNTS = ["admin@sunrise.example", "admin@mercy.example", "nurse@example.com", "dispatcher@example.com",
                      "ops@example.com"]
# Email -> base32 secret: the demo accounts', and those a test enrolled during this run.
TOTP_SECRETS = {email: DEMO_TOTP_SECRET for email in DEMO_TOTP_ACCOUNTS}
PERIOD = 30

# The pages' fixed words (CONTRACTS16.md).
CODE_LABEL = "Authentication code"
RECOVERY_LABEL = "Recovery code"
VERIFY_BUTTON = "Verify"
ENROL_BUTTON = "Turn on two-step sign-in"
CONTINUE_BUTTON = "Continue"

_last_steps = {}
_lock = threading.Lock()


def remember_secret(email, secret):
    TOTP_SECRETS[email.lower()] = secret


def secret_of(email):
    return TOTP_SECRETS.get(email.lower())


def current_step():
    return int(time.time()) // PERIOD


def totp_code(email, secret=None):
    """The code of the earliest time step this run has not used for the account yet: Identity refuses a step at or
    before the last one it accepted (replay protection) and accepts the step after the current one (clock drift), so a
    second sign-in within the same 30 seconds uses the next step's code at once and only a third waits for the next
    step to begin. Returns the code as an authenticator app shows it for that step."""
    import pyotp  # e2e/requirements.txt; imported here so tiers that never meet a code page do not need it

    secret = secret or secret_of(email)
    assert secret, f"no TOTP secret known for {email}"
    with _lock:
        step = max(current_step(), _last_steps.get(email.lower(), -1) + 1)
        _last_steps[email.lower()] = step
    wait = (step - 1) * PERIOD - time.time()
    if wait > 0:
        time.sleep(wait + 0.2)
    return pyotp.TOTP(secret).at(step * PERIOD)


def last_step(email):
    return _last_steps.get(email.lower())


def secret_in(html):
    """The base32 secret of the `otpauth://` URI on an enrolment page."""
    match = re.search(r"otpauth://totp/[^\s\"'<>]+", unescape(html))
    assert match, "no otpauth:// URI on the page"
    return parse_qs(urlparse(match.group(0)).query)["secret"][0]


class Page(HTMLParser):
    """A page's forms (action, method, named fields with their values, submit buttons), labels and links."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms, self.labels, self.ids, self.links = [], {}, {}, []
        self._label = self._button = self._link = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        form = self.forms[-1] if self.forms and self.forms[-1]["open"] else None
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                               "fields": {}, "options": {}, "buttons": [], "open": True})
        elif tag in ("input", "textarea", "select") and form is not None and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                form["options"].setdefault(a["name"], []).append(a.get("value", "on"))
            elif a.get("type") == "submit":
                form["buttons"].append((a.get("value", ""), a["name"], a.get("value", "")))
            else:
                form["fields"].setdefault(a["name"], a.get("value", ""))
            if a.get("id"):
                self.ids[a["id"]] = (form, a["name"])
        elif tag == "button" and form is not None and a.get("type", "submit") == "submit":
            self._button = [form, "", a.get("name"), a.get("value", "")]
        elif tag == "label":
            self._label = [a.get("for"), ""]
        elif tag == "a":
            self._link = [a.get("href", ""), ""]

    def handle_data(self, data):
        for open_element in (self._label, self._button, self._link):
            if open_element is not None:
                open_element[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.forms:
            self.forms[-1]["open"] = False
        elif tag == "label" and self._label:
            if self._label[0]:
                self.labels[" ".join(self._label[1].split())] = self._label[0]
            self._label = None
        elif tag == "button" and self._button:
            form, text, name, value = self._button
            form["buttons"].append((" ".join(text.split()), name, value))
            self._button = None
        elif tag == "a" and self._link:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None

    def field(self, label):
        """(form, field name) of the field with this label, or None."""
        element_id = self.labels.get(label)
        return self.ids.get(element_id) if element_id else None

    def form_with_button(self, text):
        for form in self.forms:
            for button_text, name, value in form["buttons"]:
                if button_text == text:
                    return form, name, value
        return None

    def link(self, text):
        return next((href for href, link_text in self.links if link_text == text), None)


def submit(session, url, form, values, button=None):
    data = {**form["fields"], **values}
    if button and button[0]:
        data[button[0]] = button[1]
    target = urljoin(url, form["action"] or url)
    if form["method"] == "post":
        return session.post(target, data=data, allow_redirects=False, timeout=10)
    return session.get(target, params=data, allow_redirects=False, timeout=10)


def answer_second_factor(session, answer, email):
    """Takes a requests sign-in from the answer to the password form to the redirect back to the client app: follows
    Identity's own redirects, answers the code page (the account's secret is known), enrols an account that must
    (the secret read from the page and remembered) and goes on past the recovery codes. Returns the last answer:
    the redirect to the client, or whatever page stopped it (for the caller's assertion)."""
    identity = urlparse(answer.url)
    codes_sent = 0
    for _ in range(8):
        if answer.is_redirect:
            location = urljoin(answer.url, answer.headers["Location"])
            target = urlparse(location)
            if (target.scheme, target.netloc) != (identity.scheme, identity.netloc) or "code" in parse_qs(target.query):
                return answer
            answer = session.get(location, allow_redirects=False, timeout=10)
            continue
        if answer.status_code != 200:
            return answer
        page = Page(answer.text)
        field = page.field(CODE_LABEL)
        if field and codes_sent == 2:  # a code refused twice: let the caller's assertion show the page
            return answer
        codes_sent += 1 if field else 0
        if ENROL_BUTTON in answer.text and field:
            remember_secret(email, secret_in(answer.text))
            form, name = field
            button = page.form_with_button(ENROL_BUTTON)
            answer = submit(session, answer.url, form, {name: totp_code(email)}, button and button[1:])
        elif field and secret_of(email):
            form, name = field
            button = page.form_with_button(VERIFY_BUTTON)
            answer = submit(session, answer.url, form, {name: totp_code(email)}, button and button[1:])
        elif page.form_with_button(CONTINUE_BUTTON):
            form, name, value = page.form_with_button(CONTINUE_BUTTON)
            answer = submit(session, answer.url, form, {}, (name, value))
        elif page.link(CONTINUE_BUTTON):
            answer = session.get(urljoin(answer.url, page.link(CONTINUE_BUTTON)), allow_redirects=False, timeout=10)
        else:
            return answer
    return answer
