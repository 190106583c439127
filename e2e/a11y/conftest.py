"""axe-core (shipped by axe-selenium-python) on every page a person reaches, at a desktop and a phone width."""
import re

import pytest
from axe_selenium_python import Axe

from selfsched_e2e import Browser, make_driver

WIDTHS = [1280, 390]
HEIGHT = 900
GATED = {"serious", "critical"}


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
        for width in WIDTHS:
            driver.set_window_size(width, HEIGHT)
            axe = Axe(driver)
            axe.inject()
            results = axe.run()
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
        driver.set_window_size(WIDTHS[0], HEIGHT)
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


@pytest.fixture
def audit(request, lesser_violations):
    driver = make_driver(WIDTHS[0], HEIGHT)
    try:
        yield Audit(Browser(driver, request.node.name), lesser_violations)
    finally:
        driver.quit()


def pytest_terminal_summary(terminalreporter):
    notes = getattr(terminalreporter.config, "_selfsched_a11y_notes", None)
    if notes:
        terminalreporter.section("moderate and minor violations (reported, not gated)")
        for (rule, impact, help_text), where in sorted(notes.items(), key=lambda item: str(item[0])):
            terminalreporter.write_line(f"{rule} [{impact}] {help_text}: {len(where)} page(s) and width(s), e.g. {sorted(where)[0]}")
