"""The FHIR tier runs on its own `selfsched serve` (e2e/conftest.py's `serve`: fresh data, free ports); here the two EHR
connections every test uses: Mercy's and Sunrise's admins register a key made here on Express's "EHR connections"
page in Chromium (second factor by pyotp), reading the client id and the URLs off the page as an integrator would."""
import pytest
from selenium.webdriver.common.by import By

from fhir_support import MERCY, EHRKey
from selfsched_e2e import Browser, make_driver, quote
from station_e2e import SUNRISE

ADMINS = {"mercy": ("admin@mercy.example", MERCY), "sunrise": ("admin@sunrise.example", SUNRISE)}


@pytest.fixture
def browser(request):
    driver = make_driver()
    try:
        yield Browser(driver, "fhir_" + request.node.name)
    finally:
        driver.quit()


def fact(b, term):
    """The text of a `<dd>` after the `<dt>` naming `term` on the page."""
    xpath = f"//dt[normalize-space()={quote(term)}]/following-sibling::dd[1]"
    return b.driver.find_element(By.XPATH, xpath).text.strip()


def register_key(serve, email, name):
    """Signs `email` in to Express, registers a fresh key as "`name`" on the EHR connections page and returns the
    key with its client id, key id, token URL and FHIR base read off the page that answers."""
    key = EHRKey()
    driver = make_driver()
    b = Browser(driver, f"fhir_register_{name.replace(' ', '_')}")
    try:
        with b.step(f"sign in to Express as {email}"):
            b.go(serve.urls["express"] + "/")
            b.sign_in(email)
            assert b.url.startswith(serve.urls["express"]), b.url
        with b.step("the admin's navigation leads to EHR connections"):
            b.link("EHR connections")
            assert "Connect an EHR" in b.text, b.text[:500]
        with b.step("paste the PEM public key and register it"):
            b.fill("Name", name)
            b.fill("Public key", key.public_pem)
            b.press("Register key")
            assert "is registered" in b.text, b.text[:800]
        with b.step("the page gives what the integrator needs"):
            key.client_id = fact(b, "Client id")
            key.key_id = fact(b, "Key ids").split()[0]
            key.token_url = fact(b, "Token URL")
            key.fhir_base = fact(b, "FHIR base URL")
            assert key.client_id.startswith("ehr-"), key.client_id
            assert key.token_url == serve.urls["identity"] + "/express/token", key.token_url
            assert key.fhir_base == serve.urls["station"] + "/fhir/r4", key.fhir_base
            assert fact(b, "Scopes") == "system/*.read"
            assert "PRIVATE" not in b.driver.page_source
        with b.step("the list shows the connection"):
            b.link("Back to EHR connections")
            assert any(key.client_id in row and name in row for row in b.rows()), b.rows()
    finally:
        driver.quit()
    return key


@pytest.fixture(scope="session")
def ehr(serve):
    """{"mercy": EHRKey, "sunrise": EHRKey}, each registered by its partner's admin in Chromium."""
    return {partner: register_key(serve, email, f"{partner.title()} Epic test")
            for partner, (email, _) in ADMINS.items()}
