"""What every end-to-end tier needs: a real `selfsched serve`, tokens from our Identity, and a headless Chromium
that finds things as a person does."""
import base64
import hashlib
import json
import os
import re
import secrets
import socket
import subprocess
import tempfile
import time
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from second_factor import (CODE_LABEL, CONTINUE_BUTTON, ENROL_BUTTON, VERIFY_BUTTON, answer_second_factor,
                           remember_secret, secret_in, secret_of, totp_code)



def replaced(error):
    """Whether `error` means a live update swapped the element out while a command used it: Selenium's stale
    reference, or Chromium's "Node with given id does not belong to the document" when the swap lands in the middle
    of the command (a click, a read)."""
    return isinstance(error, StaleElementReferenceException) or (
        isinstance(error, WebDriverException) and "does not belong to the document" in str(error))


ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "e2e" / "artifacts"
PASSWORD = "selfsched-demo"
IMPLICIT_WAIT = 5  # seconds a lookup waits for its element (make_driver)
NAVIGATION_TIMEOUT = 5  # seconds a press waits for the next page
SEEN = "window.__selfschedSeen"  # set on a document before a press; the next document has none
# OSS's first question to a patient account that schedules for nobody yet (issue 16, /people/new).
WHOM = "Whom do you schedule visits for?"
SERVICES = ["express", "oss", "station", "identity", "policy"]
# Console (issue 13) joins them once the binary runs it (`serve --only` names it).
OPTIONAL_SERVICES = ["console"]


def services_of(binary):
    """The services `binary serve` runs: the fixed five, and Console when its `--only` help names it."""
    try:
        help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return list(SERVICES)
    only = " ".join(help_text.split()).split("--only", 1)[-1]
    return SERVICES + [name for name in OPTIONAL_SERVICES if name in only.split("--no-demo")[0]]


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class Serve:
    """A real `selfsched serve` (every service in one process) on a fresh data directory and free ports;
    `env` adds to (or overrides) the environment it runs with, e.g. SMTP_URL."""

    def __init__(self, env=None):
        self.binary = os.environ.get("SELFSCHED_BIN", str(ROOT / ".build" / "debug" / "selfsched"))
        self.data_dir = tempfile.mkdtemp(prefix="selfsched-e2e-")
        services = services_of(self.binary)
        ports = dict(zip(SERVICES + OPTIONAL_SERVICES, free_ports(len(SERVICES + OPTIONAL_SERVICES))))
        self.ports = {name: port for name, port in ports.items() if name in services}
        self.urls = {name: f"http://localhost:{port}" for name, port in self.ports.items()}
        # Console by its environment (CONSOLE_PORT, and CONSOLE_PUBLIC_URL, on which Identity builds console-web's
        # redirect), so a binary without a `--console-port` option runs it on the free port too; set even when
        # Console does not run, so a staff member's token can be had through console-web (staff_token).
        self.console_url = f"http://localhost:{ports['console']}"
        self.extra_env = {"CONSOLE_PORT": str(ports["console"]), "CONSOLE_PUBLIC_URL": self.console_url, **(env or {})}
        self.log_path = Path(self.data_dir) / "serve.log"
        self.proc = None
        self.starts = 0

    def start(self):
        """Starts (or restarts, on the same data) and waits until every service answers /healthz."""
        self.starts += 1
        arguments = [self.binary, "serve", "--data-dir", self.data_dir]
        for name, port in self.ports.items():
            if name in SERVICES:
                arguments += [f"--{name}-port", str(port)]
        with open(self.log_path, "a") as log:
            # The environment as it is now (a test may set variables after making the Serve), with ours over it.
            self.proc = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                         env={**os.environ, **self.extra_env})
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if all(requests.get(u + "/healthz", timeout=1).ok for u in self.urls.values()):
                    return self
            except requests.ConnectionError:
                pass
            if not self.alive():
                raise RuntimeError("selfsched serve exited:\n" + self.log_tail())
            time.sleep(0.5)
        raise RuntimeError("selfsched serve did not become healthy in 120 s")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def responsive(self, timeout=5):
        """Whether every service still answers /healthz."""
        try:
            return all(requests.get(u + "/healthz", timeout=timeout).ok for u in self.urls.values())
        except requests.RequestException:
            return False

    def exit_status(self):
        return None if self.proc is None else self.proc.poll()

    def stop(self):
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def log_tail(self, size=3000):
        return self.log_path.read_text(errors="replace")[-size:] if self.log_path.exists() else ""

    def secrets(self):
        return json.loads((Path(self.data_dir) / "secrets.json").read_text())

    def system(self):
        """The URLs of the services and the data directory, as the browser tier's `system` fixture gives them."""
        return {**self.urls, "data_dir": self.data_dir}


def selfsched_binary():
    """The `selfsched` the tiers run: SELFSCHED_BIN (a copy of the build), else the debug build."""
    return os.environ.get("SELFSCHED_BIN", str(ROOT / ".build" / "debug" / "selfsched"))


def run_selfsched(*arguments, timeout=120):
    """Runs a `selfsched` command (for example `analytics funnel` beside a running serve) and returns the
    finished process with its text output."""
    return subprocess.run([selfsched_binary(), *map(str, arguments)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def machine_token(identity, client, secret, audience, scope=None):
    """A client-credentials token of the staff tenant for one API."""
    form = {"grant_type": "client_credentials", "audience": audience}
    if scope:
        form["scope"] = scope
    answer = requests.post(f"{identity}/staff/token", auth=(client, secret), data=form, timeout=10)
    assert answer.status_code == 200, f"{client} could not get a token for {audience} {scope or ''}: {answer.text}"
    return answer.json()["access_token"]


def staff_token(identity, secrets, email, console_url, scope="openid email profile"):
    """A staff member's access token for Station, as Console's sign-in client (console-web) gets it: the scopes are
    what the member's roles allow of every Station staff scope asked for."""
    scope = scope + " " + " ".join(STAFF_SCOPES)
    return user_token(identity, "staff", "console-web", secrets["console-web"], console_url + "/auth/callback", email,
                      scope=scope)


STAFF_SCOPES = ["station.triage", "station.dispatch", "station.admin", "station.care_requests.read",
                "station.patients.read"]
STAFF = {"nurse": "nurse@example.com", "dispatcher": "dispatcher@example.com", "operations_admin": "ops@example.com"}


def user_token(identity, tenant, client, secret, redirect_uri, email, password=PASSWORD, scope="openid email profile"):
    """A user's access token by the authorization code flow with PKCE, signing in on Identity's form as a
    browser would; the code is taken from the redirect and never reaches the client app."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"client_id": client, "redirect_uri": redirect_uri, "response_type": "code", "scope": scope,
             "state": secrets.token_urlsafe(16), "nonce": secrets.token_urlsafe(16), "code_challenge": challenge,
             "code_challenge_method": "S256"}
    browser = requests.Session()
    page = browser.get(f"{identity}/{tenant}/authorize?{urlencode(query)}", allow_redirects=False, timeout=10)
    assert page.status_code == 200, page.text
    form = {name: unescape(value) for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    form.update(email=email, password=password)
    answer = browser.post(identity + unescape(action), data=form, allow_redirects=False, timeout=10)
    answer = answer_second_factor(browser, answer, email)
    assert answer.status_code in (302, 303), answer.text
    code = parse_qs(urlparse(answer.headers["Location"]).query)["code"][0]
    token = requests.post(f"{identity}/{tenant}/token", auth=(client, secret), timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier})
    assert token.status_code == 200, token.text
    return token.json()["access_token"]


class Browser:
    """A signed-out browser that finds things as a person does: by labels, roles and visible text."""

    def __init__(self, driver, test_name):
        self.driver = driver
        self.test_name = re.sub(r"[^a-zA-Z0-9_]+", "_", test_name)
        self.count = 0
        self.step_name = "start"

    def step(self, name):
        """Names the step, for screenshots and failures."""
        self.step_name = name
        return self

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        path = self.shot()
        if error is not None:
            raise AssertionError(f"step '{self.step_name}' failed ({error}); screenshot: {path}") from error
        return False

    def shot(self):
        self.count += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-zA-Z0-9_]+", "-", self.step_name).strip("-")
        path = ARTIFACTS / f"{self.test_name}-{self.count:02d}-{name}.png"
        try:
            self.driver.save_screenshot(str(path))
        except WebDriverException:
            pass
        return path

    def go(self, url):
        self.driver.get(url)

    def field(self, label):
        element = self.driver.find_element(By.XPATH, f"//label[normalize-space()={quote(label)}]")
        return self.driver.find_element(By.ID, element.get_attribute("for"))

    def fill(self, label, value):
        field = self.field(label)
        if field.get_attribute("type") == "date":
            self.driver.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)

    def choose(self, label, option_text):
        self.field(label).find_element(By.XPATH, f".//option[normalize-space()={quote(option_text)}]").click()

    def pick(self, label):
        """Chooses the checkbox or radio button labelled `label` (inside the label or named by its `for`); one that
        is chosen already stays chosen."""
        element = self.driver.find_element(By.XPATH, f"//label[normalize-space()={quote(label)}]")
        if self.present(f"//label[normalize-space()={quote(label)}]//input"):
            choice = element.find_element(By.XPATH, ".//input")
        else:
            choice = self.driver.find_element(By.ID, element.get_attribute("for"))
        if not choice.is_selected():
            element.click()

    def check(self, label_text):
        self.driver.find_element(By.XPATH, f"//label[contains(normalize-space(), {quote(label_text)})]/input").click()

    def press(self, text):
        """Clicks the button or link; found afresh when a live update replaced it between finding and clicking
        (a page's live fragment swaps its buttons whenever an event for it arrives)."""
        before = self.driver.current_url
        self.mark()
        xpath = f"//button[normalize-space()={quote(text)}] | //a[normalize-space()={quote(text)}]"
        for attempt in range(5):
            try:
                self.driver.find_element(By.XPATH, xpath).click()
                break
            except WebDriverException as error:
                if attempt == 4 or not replaced(error):
                    raise
                time.sleep(0.2)
        self.settle(before)

    def link(self, text):
        self.press(text)

    def click(self, element):
        """Clicks an element that leads to another page (a link, a form's button) and waits for that page."""
        before = self.driver.current_url
        self.mark()
        element.click()
        self.settle(before)

    def settle(self, before=None):
        """Until the document is complete; after a press (`before`: the address it was made at), until a new
        document is. A form posted back to its own address (an error shown, a list after an addition) is a new
        page at the same URL, so the test is for a new document, not a new address; a press that stays on its page
        (a script's action) waits out the timeout."""
        deadline = time.monotonic() + NAVIGATION_TIMEOUT
        while True:
            try:
                ready, seen = self.driver.execute_script(f"return [document.readyState === 'complete', {SEEN} === true]")
            except WebDriverException:  # the document went away between the two questions
                ready, seen = False, True
            if (ready and (before is None or not seen)) or time.monotonic() > deadline:
                break
            time.sleep(0.05)

    def mark(self):
        """Marks the current document, so that ``settle`` can tell the next one from it."""
        try:
            self.driver.execute_script(f"{SEEN} = true")
        except WebDriverException:
            pass

    def has_button(self, text):
        return bool(self.driver.find_elements(By.XPATH, f"//button[normalize-space()={quote(text)}] | //a[normalize-space()={quote(text)}]"))

    @property
    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    @property
    def url(self):
        return self.driver.current_url

    def rows(self):
        return [row.text for row in self.driver.find_elements(By.CSS_SELECTOR, "tbody tr")]

    def present(self, xpath):
        """Whether an element is on the page now, without the lookup's wait."""
        self.driver.implicitly_wait(0)
        try:
            return bool(self.driver.find_elements(By.XPATH, xpath))
        finally:
            self.driver.implicitly_wait(IMPLICIT_WAIT)

    def has_field(self, label):
        return self.present(f"//label[normalize-space()={quote(label)}]")

    def sign_in(self, email, password=PASSWORD, second_factor=True):
        """Signs in on Identity's form; with `second_factor`, goes on through the second-factor step as the person
        would with their authenticator app (answer_second_factor)."""
        self.fill("Email", email)
        self.fill("Password", password)
        self.press("Sign in")
        if second_factor:
            self.answer_second_factor(email)

    def answer_second_factor(self, email):
        """When the sign-in stopped at Identity's second factor: the code page of an account whose secret is known (the
        demo accounts' or one enrolled in this run), or the enrolment of an account that must have one (its secret
        read from the page and remembered), then the recovery codes' Continue."""
        if self.present(f"//button[normalize-space()={quote(ENROL_BUTTON)}]") and self.has_field(CODE_LABEL):
            remember_secret(email, self.setup_secret())
            self.enter_code(email, ENROL_BUTTON)
            if self.present(f"//button[normalize-space()={quote(CONTINUE_BUTTON)}] | //a[normalize-space()={quote(CONTINUE_BUTTON)}]"):
                self.press(CONTINUE_BUTTON)
        elif self.has_field(CODE_LABEL) and secret_of(email):
            self.enter_code(email, VERIFY_BUTTON)

    def schedule_for_myself(self):
        """Answers OSS's first question to an account that schedules for nobody yet (WHOM) with Myself, as the demo
        patient would; nothing when OSS does not ask."""
        if self.present(f"//legend[normalize-space()={quote(WHOM)}]"):
            self.pick("Myself")
            self.press("Save")

    def enter_code(self, email, button=VERIFY_BUTTON, secret=None):
        """Types the account's next unused code and sends it; once more with the next step if it was refused."""
        for _ in range(2):
            self.fill(CODE_LABEL, totp_code(email, secret))
            self.press(button)
            if not self.has_field(CODE_LABEL):
                return

    def setup_secret(self):
        """The secret of the `otpauth://` URI on the enrolment page."""
        return secret_in(self.driver.page_source)

    def console_sign_in(self, console, email, password=PASSWORD):
        """Signs a staff member in to Console (`console` is its URL): Console sends the browser to the staff
        tenant's sign-in page at Identity, which sends it back signed in (Identity's SSO skips the form when this
        browser is signed in to the staff tenant already)."""
        self.go(console + "/")
        if "Password" in self.text and not self.url.startswith(console):
            self.sign_in(email, password)
        assert self.url.startswith(console), f"not back in Console after signing in: {self.url}"


def quote(text):
    if "'" not in text:
        return f"'{text}'"
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def make_driver(width=1280, height=1000, record_requests=False):
    """A headless Chromium; with `record_requests`, Chrome keeps a performance log of every request it makes
    (redirect hops included), which the browser tier's PHI check reads (e2e/browser/phi_search.py)."""
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"]:
        options.add_argument(argument)
    if record_requests:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(options=options, service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
    driver.implicitly_wait(IMPLICIT_WAIT)
    return driver
