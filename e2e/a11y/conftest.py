"""axe-core (shipped by axe-selenium-python) on every page a person reaches, at a desktop and a phone width."""
import re

import pytest
from axe_selenium_python import Axe
from selenium.common.exceptions import WebDriverException

from selfsched_e2e import Browser, make_driver

WIDTHS = [390, 1280]  # the last is the width the tests click at, so a page ends where the next one starts
HEIGHT = 900
GATED = {"serious", "critical"}
# axe returns every node of every rule it checked; only the violations are read, so the passes, incomplete and
# inapplicable results come back without their nodes (the same rules run: resultTypes only trims the answer).
AXE_OPTIONS = '{"resultTypes": ["violations"]}'


class Audit:
    """Runs axe on the current page at each width and collects serious and critical violations; the test asserts
    at its end, so one run reports every page that fails."""

    def __init__(self, browser, notes):
        self.browser = browser
        self.findings = []
        self.notes = notes  # the lesser violations of the whole session, reported but not gated
        self.pages = 0

    def page(self, name):
        driver = self.browser.driver
        self.browser.settle()
        axe = Axe(driver)
        axe.inject()  # once: a resize keeps the document, and axe with it
        for width in WIDTHS:
            driver.set_window_size(width, HEIGHT)
            results = axe.run(options=AXE_OPTIONS)
            engine = results["testEngine"]["version"]
            assert int(engine.split(".")[0]) >= 4, f"axe-core {engine} is too old: install axe-selenium-python 3 (scripts/test does)"
            for violation in results["violations"]:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
                if violation.get("impact") in GATED:
                    self.findings.append(f"{name} at {width}px ({_path(driver.current_url)}): {violation['id']} "
                                         f"[{violation['impact']}] {violation['help']} — {', '.join(targets)}")
                else:
                    self.notes.setdefault((violation["id"], violation.get("impact"), violation["help"]), set()).add(
                        f"{name} at {width}px: {', '.join(targets)}")
        self.pages += 1
        return self

    def assert_clean(self):
        assert self.pages > 0, "no page was audited"
        assert not self.findings, f"{len(self.findings)} serious or critical violations:\n" + "\n".join(self.findings)


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture(scope="session")
def lesser_violations(pytestconfig):
    pytestconfig._selfsched_a11y_notes = {}
    return pytestconfig._selfsched_a11y_notes


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the tier (starting one costs a second or two on a small machine); `audit` hands it to
    each test as a new browser would be: no cookies, a blank page, the desktop width."""
    driver = [make_driver(WIDTHS[-1], HEIGHT)]

    def fresh():
        try:
            driver[0].get("about:blank")
        except WebDriverException:  # the previous test left it unusable (crashed, an alert open): start another
            try:
                driver[0].quit()
            except WebDriverException:
                pass
            driver[0] = make_driver(WIDTHS[-1], HEIGHT)
        driver[0].execute_cdp_cmd("Network.clearBrowserCookies", {})
        driver[0].set_window_size(WIDTHS[-1], HEIGHT)
        return driver[0]

    try:
        yield fresh
    finally:
        driver[0].quit()


@pytest.fixture
def audit(request, lesser_violations, chromium):
    yield Audit(Browser(chromium(), request.node.name), lesser_violations)


def pytest_terminal_summary(terminalreporter):
    notes = getattr(terminalreporter.config, "_selfsched_a11y_notes", None)
    if notes:
        terminalreporter.section("moderate and minor violations (reported, not gated)")
        for (rule, impact, help_text), where in sorted(notes.items(), key=lambda item: str(item[0])):
            terminalreporter.write_line(f"{rule} [{impact}] {help_text}: {len(where)} page(s) and width(s), e.g. {sorted(where)[0]}")
