"""A real `selfsched serve` on a fresh data directory and free ports, and a fresh headless Chromium per test."""
import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "e2e" / "artifacts"


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture(scope="session")
def system():
    if os.environ.get("E2E_EXPRESS_URL"):
        # A deployment started elsewhere (deploy/scale-out.sh): test it through its public URLs.
        yield {name: os.environ[f"E2E_{name.upper()}_URL"] for name in ["express", "oss", "identity"]}
        return
    binary = os.environ.get("SELFSCHED_BIN", str(ROOT / ".build" / "debug" / "selfsched"))
    data_dir = tempfile.mkdtemp(prefix="selfsched-e2e-")
    express, oss, station, identity, policy = free_ports(5)
    log_path = Path(data_dir) / "serve.log"
    proc = subprocess.Popen(
        [binary, "serve", "--data-dir", data_dir, "--express-port", str(express), "--oss-port", str(oss),
         "--station-port", str(station), "--identity-port", str(identity), "--policy-port", str(policy)],
        stdout=open(log_path, "w"), stderr=subprocess.STDOUT, cwd=ROOT,
    )
    urls = {name: f"http://localhost:{port}" for name, port in
            [("express", express), ("oss", oss), ("station", station), ("identity", identity), ("policy", policy)]}
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if all(requests.get(u + "/healthz", timeout=1).ok for u in urls.values()):
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None:
                raise RuntimeError("selfsched serve exited:\n" + log_path.read_text()[-3000:])
            time.sleep(0.5)
        else:
            raise RuntimeError("selfsched serve did not become healthy in 120 s")
        urls["data_dir"] = data_dir
        yield urls
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


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

    def check(self, label_text):
        self.driver.find_element(By.XPATH, f"//label[contains(normalize-space(), {quote(label_text)})]/input").click()

    def press(self, text):
        before = self.driver.current_url
        self.driver.find_element(By.XPATH, f"//button[normalize-space()={quote(text)}] | //a[normalize-space()={quote(text)}]").click()
        self.settle(before)

    def link(self, text):
        self.press(text)

    def settle(self, before=None):
        for _ in range(50):
            if self.driver.execute_script("return document.readyState") == "complete" and (before is None or self.driver.current_url != before):
                break
            time.sleep(0.1)
        time.sleep(0.2)

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

    def sign_in(self, email, password="selfsched-demo"):
        self.fill("Email", email)
        self.fill("Password", password)
        self.press("Sign in")


def quote(text):
    if "'" not in text:
        return f"'{text}'"
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def make_driver():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
        options.add_argument(argument)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(options=options, service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser(request):
    driver = make_driver()
    try:
        yield Browser(driver, request.node.name)
    finally:
        driver.quit()


@pytest.fixture
def second_browser(request):
    """Another person's browser, with cookies of its own."""
    driver = make_driver()
    try:
        yield Browser(driver, request.node.name + "_second")
    finally:
        driver.quit()
