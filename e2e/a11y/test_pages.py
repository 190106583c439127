"""Every page of Express, OSS (partner and direct; issue 15's change pages and filtered list too), Console (as each
staff role) and Identity, signed out and signed in, including error states and error pages, audited by axe-core at
1280 and 390 px: no serious or critical violation."""
import base64
import hashlib
import hmac
import json
import time
import uuid

import pytest
import requests

from selfsched_e2e import PASSWORD, machine_token, user_token
from station_e2e import SUNRISE, Station


def express_sign_in(a, system, email):
    b = a.browser
    b.go(system["express"] + "/")
    b.sign_in(email)
    assert b.url.startswith(system["express"] + "/care-requests"), b.url


def new_account_link(serve):
    """A new Express account's one-time set-password link, from Identity's management API as Express asks for it."""
    token = machine_token(serve.urls["identity"], "express-m2m", serve.secrets()["express-m2m"], "identity",
                          "identity.accounts.write")
    answer = requests.post(serve.urls["identity"] + "/express/management/accounts", timeout=10,
                           headers={"Authorization": f"Bearer {token}"},
                           json={"email": f"a11y-{uuid.uuid4().hex[:8]}@sunrise.example", "name": "Ann Eleven"})
    assert answer.status_code == 201, answer.text
    return answer.json()["set_password_url"]


def test_identity_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    b.go(system["express"] + "/")
    a.page("Identity sign-in (express tenant)")
    b.sign_in("scheduler@sunrise.example", "not-the-password")
    a.page("Identity sign-in with a wrong password")
    b.go(system["oss"] + "/")
    a.page("Identity sign-in (patients tenant)")
    b.go(system["identity"] + "/express/authorize?client_id=unknown-client&response_type=code&redirect_uri=http://x.invalid/")
    a.page("Identity error: unknown client")
    b.go(system["identity"] + "/express/set-password?token=" + uuid.uuid4().hex)
    a.page("Identity set-password with an unknown link")
    b.go(new_account_link(serve))
    a.page("Identity set-password")
    b.fill("New password (at least 12 characters)", "short")
    b.press("Set password")
    a.page("Identity set-password with an error")
    a.assert_clean()


def test_express_scheduler_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    express_sign_in(a, system, "scheduler@sunrise.example")
    a.page("Express care requests")
    b.click(b.driver.find_elements("css selector", "tbody tr a")[0])
    a.page("Express care request detail")
    b.go(system["express"] + f"/care-requests/{uuid.uuid4()}")
    a.page("Express care request not found")
    b.go(system["express"] + "/care-requests/not-an-id")
    a.page("Express care request with a malformed id")
    b.go(system["express"] + "/care-requests?tab=past")
    a.page("Express care requests, another tab")
    b.link("Patients")
    a.page("Express patient search")
    b.fill("Search by name, date of birth, phone or MRN", "Whitfield")
    b.press("Search")
    a.page("Express patient search results")
    b.fill("Search by name, date of birth, phone or MRN", "Nobody-Matches-This")
    b.press("Search")
    a.page("Express patient search without results")
    b.fill("Search by name, date of birth, phone or MRN", "x")
    b.press("Search")
    a.page("Express patient search with a too short query")
    b.link("New care request")
    a.page("Express new care request")
    b.link("Help")
    a.page("Express help")
    b.go(system["express"] + "/profile")
    a.page("Express profile")
    for outcome in ["created", "cancelled", "emergency", "error"]:
        b.go(system["express"] + f"/care-requests/returned?outcome={outcome}")
        a.page(f"Express back from OSS ({outcome})")
    a.assert_clean()


def unsubscribe_link(serve, email):
    """The one-click unsubscribe link of `email`'s notification emails, signed as Express signs it (Secrets.signedToken:
    HMAC-SHA256 under a key HKDF-derived from EXPRESS_UNSUBSCRIBE_SECRET for the purpose)."""
    access = user_token(serve.urls["identity"], "express", "express-web", serve.secrets()["express-web"],
                        serve.urls["express"] + "/auth/callback", email)
    claims = access.split(".")[1]
    user = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["user_id"]
    secret = serve.secrets()["express-unsubscribe"].encode()
    pseudo_random = hmac.new(b"\0" * 32, secret, hashlib.sha256).digest()
    key = hmac.new(pseudo_random, b"express.notifications-unsubscribe.v1\x01", hashlib.sha256).digest()
    b64 = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # noqa: E731
    body = b64(f"{user}|{int(time.time()) + 3600}".encode())
    return f"{serve.urls['express']}/unsubscribe/{body}.{b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def test_express_unsubscribe_pages(audit, serve):
    """The pages behind a notification email's unsubscribe link, for someone who is not signed in."""
    a, b, system = audit, audit.browser, serve.urls
    b.go(system["express"] + "/unsubscribe/not-a-valid-link")
    a.page("Express unsubscribe with a link that is not valid")
    b.go(unsubscribe_link(serve, "viewer@sunrise.example"))
    a.page("Express unsubscribe confirmation")
    b.press("Unsubscribe")
    assert "You are unsubscribed" in b.text
    a.page("Express unsubscribed")
    a.assert_clean()


def test_express_admin_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    express_sign_in(a, system, "admin@sunrise.example")
    b.link("Users")
    a.page("Express users admin")
    b.fill("Email", "not-an-email")
    b.press("Add user")
    a.page("Express users admin with an error")
    b.press("Sign out")
    a.page("Express signed out")
    b.go(system["express"] + "/signed-out")
    a.page("Express signed-out page")
    a.assert_clean()


def test_express_viewer_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    express_sign_in(a, system, "viewer@sunrise.example")
    a.page("Express care requests as a viewer")
    b.go(system["express"] + "/care-requests/new")
    a.page("Express new care request refused to a viewer")
    b.go(system["express"] + "/users")
    a.page("Express users admin refused to a viewer")
    a.assert_clean()


def test_express_pages_of_a_partner_without_oss(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    express_sign_in(a, system, "admin@mercy.example")
    b.link("New care request")
    a.page("Express schedule by phone (OSS off for the partner)")
    a.assert_clean()


def walk_steps(a, prefix, new_patient):
    """Audits each step empty (with its errors) and filled, through review."""
    b = a.browser
    if new_patient:
        b.press("Next")
        a.page(f"{prefix} patient step with errors")
        b.fill("First name", "Nora")
        b.fill("Last name", "Newcomer")
        b.fill("Date of birth (YYYY-MM-DD)", "1950-02-03")
        b.choose("Sex", "Female")
        b.fill("Phone", "303-555-0177")
    b.press("Next")
    a.page(f"{prefix} reason step")
    b.press("Next")
    a.page(f"{prefix} reason step with errors")
    b.fill("What is going on?", "Cough and a low fever since Tuesday")
    b.check("Cough or congestion")
    b.press("Next")
    a.page(f"{prefix} address step")
    for label in ["Street address", "City", "State", "ZIP code"]:
        b.field(label).clear()
    b.press("Next")
    a.page(f"{prefix} address step with errors")
    b.fill("Street address", "1600 Larimer St")
    b.fill("City", "Denver")
    b.fill("State", "CO")
    b.fill("ZIP code", "80202")
    b.press("Next")
    a.page(f"{prefix} time window step")
    b.press("Next")
    a.page(f"{prefix} time window step with an error")
    b.driver.find_elements("css selector", "input[name=window]")[0].click()
    b.press("Next")
    a.page(f"{prefix} insurance and contacts step")
    b.fill("Phone number to call", "12")
    b.press("Next")
    a.page(f"{prefix} insurance and contacts step with errors")
    b.fill("Insurance company", "Medicare")
    b.fill("Member ID", "1EG4-TE5-MK72")
    b.fill("Phone number to call", "303-555-0100")
    b.press("Next")
    a.page(f"{prefix} review")


def test_oss_partner_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    express_sign_in(a, system, "scheduler@sunrise.example")
    b.link("New care request")
    b.press("Start for a new patient")
    a.page("OSS partner start (handoff)")
    b.press("Continue")
    a.page("OSS partner patient step")
    walk_steps(a, "OSS partner", new_patient=True)
    b.press("Submit request")
    a.page("Express after a partner request was created")
    b.link("New care request")
    b.press("Start for a new patient")
    b.press("Continue")
    draft = b.url.rsplit("/", 1)[0]
    b.press("Cancel this request")
    a.page("Express after a cancelled request")
    b.go(draft + "/reason")
    a.page("OSS partner closed draft")
    b.go(system["oss"] + f"/partner/drafts/{uuid.uuid4()}/patient")
    a.page("OSS partner unknown draft")
    b.go(system["oss"] + "/partner/start?handoff=not-a-handle")
    a.page("OSS partner start with an unknown handle")
    b.go(system["express"] + "/care-requests")
    b.link("New care request")
    b.press("Start for a new patient")
    b.press("Continue")
    b.fill("First name", "Nora")
    b.fill("Last name", "Newcomer")
    b.fill("Date of birth (YYYY-MM-DD)", "1950-02-03")
    b.choose("Sex", "Female")
    b.fill("Phone", "303-555-0177")
    b.press("Next")
    b.fill("What is going on?", "Sudden chest pressure")
    b.check("Chest pain or pressure")
    b.press("Next")
    a.page("OSS partner emergency (call 911)")
    a.assert_clean()


def test_oss_direct_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    b.go(system["oss"] + "/")
    b.sign_in("patient@example.com", PASSWORD)
    b.schedule_for_myself()
    a.page("OSS home")
    b.link("My requests")
    a.page("OSS my requests (none yet)")
    b.link("Home")
    b.press("Start a new request")
    a.page("OSS patient step")
    walk_steps(a, "OSS direct", new_patient=True)
    b.press("Submit request")
    a.page("OSS confirmation")
    b.link("My requests")
    a.page("OSS my requests")
    b.click(b.driver.find_elements("css selector", "main a[href^='/requests/']")[0])
    a.page("OSS request detail")
    b.go(system["oss"] + f"/requests/{uuid.uuid4()}")
    a.page("OSS unknown request")
    b.go(system["oss"] + f"/drafts/{uuid.uuid4()}/patient")
    a.page("OSS unknown draft")
    a.assert_clean()


def test_error_pages(audit, serve):
    """A mistyped address or an expired form shows a readable page, signed in or not."""
    a, b, system = audit, audit.browser, serve.urls
    for service in ["express", "oss", "identity"]:
        b.go(system[service] + "/no-such-page")
        a.page(f"{service} unknown page, signed out")
    express_sign_in(a, system, "scheduler@sunrise.example")
    b.go(system["express"] + "/no-such-page")
    a.page("Express unknown page, signed in")
    b.go(system["express"] + "/profile")
    b.driver.execute_script("document.querySelectorAll('input[name=csrf]').forEach(e => e.value = 'expired')")
    b.click(b.driver.find_element("css selector", "main form button[type=submit]"))
    a.page("Express form sent with an expired CSRF token")
    b.go(system["oss"] + "/partner/no-such-page")
    a.page("OSS partner unknown page, signed in")
    a.assert_clean()


def test_express_webhooks_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    express_sign_in(a, system, "admin@sunrise.example")
    b.link("Webhooks")
    a.page("Express webhooks")
    b.fill("URL", "http://hooks.example.com/in")
    b.press("Add endpoint")
    a.page("Express webhooks with an error")
    b.fill("URL", "http://127.0.0.1:9/hook")
    b.press("Add endpoint")
    assert "shown only this once" in b.text
    a.page("Express webhook endpoint with its new secret")
    b.link("Delete…")
    a.page("Express webhook endpoint, delete to confirm")
    b.go(system["express"] + f"/webhooks/{uuid.uuid4()}")
    a.page("Express webhook endpoint not found")
    a.assert_clean()


def test_express_ehr_connections_pages(audit, serve):
    """Issue 18: a partner admin connects an EHR (a PEM public key made here), sees its details, removes it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())  # short PEMs: the page is what is audited here
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    a, b, system = audit, audit.browser, serve.urls
    express_sign_in(a, system, "admin@sunrise.example")
    b.link("EHR connections")
    a.page("Express EHR connections, none yet")
    b.press("Register key")
    a.page("Express EHR connections with empty fields")
    b.fill("Name", "A11y EHR")
    b.fill("Public key", private_pem)
    b.press("Register key")
    assert "private key" in b.text.lower()
    a.page("Express EHR connections refusing a private key")
    b.fill("Public key", public_pem)
    b.press("Register key")
    assert "is registered" in b.text
    a.page("Express EHR connected, its details")
    b.link("Back to EHR connections")
    a.page("Express EHR connections listing one")
    b.click(b.driver.find_element("css selector", "tbody a[href$='/remove']"))
    a.page("Express EHR connection, remove to confirm")
    b.press("Remove connection")
    a.page("Express EHR connections after a removal")
    b.go(system["express"] + "/ehr-connections/ehr-no-such-client/remove")
    a.page("Express EHR connection not found")
    b.link("Help")
    a.page("Express help with the EHR connection section")
    a.assert_clean()


def console_sign_in(a, serve, email, audit_sign_in_page=False):
    if "console" not in serve.urls:
        pytest.skip("Console is not running (a binary without it)")
    if audit_sign_in_page:
        a.browser.go(serve.urls["console"] + "/")
        a.page("Identity sign-in (staff tenant)")
    a.browser.console_sign_in(serve.urls["console"], email)
    return serve.urls["console"]


def submit_empty(b):
    """Sends the page's first form in main as it is (its required fields empty), to audit the errors shown."""
    b.click(b.driver.find_element("css selector", "main form button[type=submit]"))


def test_console_nurse_pages(audit, serve):
    a, b = audit, audit.browser
    console = console_sign_in(a, serve, "nurse@example.com", audit_sign_in_page=True)
    b.go(console + "/triage")
    a.page("Console triage queue")
    links = b.driver.find_elements("css selector", "tbody tr a[href^='/triage/']")
    assert links, "the demo data has requests waiting for a nurse"
    b.click(links[0])
    a.page("Console triage request")
    b.press("I’m calling")
    a.page("Console triage request, claimed")
    b.press("Schedule")
    a.page("Console triage request with errors in the outcome form")
    b.go(console + f"/triage/{uuid.uuid4()}")
    a.page("Console triage request not found")
    b.go(console + "/help")
    a.page("Console help")
    b.go(console + "/admin/partners")
    a.page("Console page of another role (403)")
    b.go(console + "/no-such-page")
    a.page("Console unknown page")
    a.assert_clean()


def test_console_dispatcher_pages(audit, serve):
    a, b = audit, audit.browser
    console = console_sign_in(a, serve, "dispatcher@example.com")
    b.go(console + "/board")
    a.page("Console dispatch board")
    places = b.driver.find_elements("css selector", "main input[name=places]")
    assert places, "the board of today shows its windows"
    places[0].clear()
    places[0].send_keys("many")
    b.click(places[0].find_element("xpath", "ancestor::form//button[@type='submit']"))
    a.page("Console dispatch board with an error in the places")
    b.link("Next day »")
    a.page("Console dispatch board, the next day")
    b.link("Proposed routes for this day")
    a.page("Console proposed routes")
    if b.driver.find_elements("xpath", "//button[normalize-space()='Accept the plan and set estimates']"):
        b.press("Accept the plan and set estimates")
        a.page("Console proposed routes, accepted")
        moves = b.driver.find_elements("xpath", "//main//tr//button[starts-with(normalize-space(.), 'Move')]")
        if moves:
            b.click(moves[0])
            a.page("Console proposed routes, a stop's team chosen")
    b.go(console + "/triage")
    a.page("Console triage queue refused to a dispatcher")
    a.assert_clean()


def test_console_operations_admin_pages(audit, serve):
    a, b = audit, audit.browser
    console = console_sign_in(a, serve, "ops@example.com")
    b.go(console + "/admin/partners")
    a.page("Console partners")
    b.go(console + "/admin/partners/new")
    a.page("Console new partner")
    submit_empty(b)
    a.page("Console new partner with errors")
    b.go(console + "/admin/markets")
    a.page("Console markets")
    markets = b.driver.find_elements("css selector", "tbody tr a[href^='/admin/markets/']")
    if markets:
        b.click(markets[0])
        a.page("Console market settings, closures and care teams")
        b.press("Add a care team")
        a.page("Console new care team")
        submit_empty(b)
        a.page("Console new care team with errors")
    b.go(console + "/admin/markets/new")
    a.page("Console new market")
    submit_empty(b)
    a.page("Console new market with errors")
    b.go(console + "/admin/service-lines")
    a.page("Console service lines")
    b.press("Add service line")
    a.page("Console service lines with errors")
    length = b.driver.find_element("css selector", "main tbody input[name=visit_minutes]")
    length.clear()
    length.send_keys("5")
    b.click(length.find_element("xpath", "ancestor::form//button[@type='submit']"))
    a.page("Console service lines with a refused visit length")
    b.press("Sign out")
    a.page("Console signed out")
    a.assert_clean()


def station_of(serve):
    return Station(serve.urls["station"], serve.urls["identity"], serve.secrets())


def post_by_hand(b, action, fields):
    """Sends a form the page does not offer (its own CSRF token), as someone trying by hand would."""
    before = b.url
    b.mark()
    b.driver.execute_script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "for (const [k, v] of Object.entries(arguments[1])) { const i = document.createElement('input');"
        "i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); } document.body.appendChild(f); f.submit();",
        action, {**fields, "csrf": b.driver.find_element("css selector", "input[name=csrf]").get_attribute("value")})
    b.settle(before)


def test_express_change_and_filter_pages(audit, serve):
    """Issue 15 in Express: a request's page with its change buttons, on the way, cancelled; the return from OSS;
    the filtered list, the patient-name search and a filter with an error; a viewer's refused change."""
    a, b, system, station = audit, audit.browser, serve.urls, station_of(serve)
    windows = station.free_windows(3, 5)
    changeable = station.create_sunrise_request(windows[0], complaint="A11y tier")
    started = station.create_sunrise_request(windows[1], complaint="A11y tier")
    station.move_on_route(started)
    cancelled = station.create_sunrise_request(windows[0], complaint="A11y tier")
    station.cancel(cancelled, partner_id=SUNRISE)
    express_sign_in(a, system, "scheduler@sunrise.example")
    b.go(system["express"] + f"/care-requests/{changeable}")
    assert b.has_button("Change time")
    a.page("Express care request with Change time and Cancel request")
    b.go(system["express"] + f"/care-requests/{started}")
    a.page("Express care request on the way (call to change)")
    b.go(system["express"] + f"/care-requests/{cancelled}")
    a.page("Express cancelled care request")
    for outcome in ["rescheduled", "cancelled", "unchanged"]:
        b.go(system["express"] + f"/care-requests/returned?outcome={outcome}&care_request_id={changeable}")
        a.page(f"Express back from OSS ({outcome})")
    b.go(system["express"] + "/care-requests")
    b.driver.find_element("css selector", "details.filters summary").click()
    status = b.field("Status")
    status.find_elements("css selector", "option")[1].click()
    b.check("Created by me")
    b.press("Apply filters")
    a.page("Express care requests, filtered")
    b.fill("Find by patient name", "Whitfield")
    b.press("Find")
    assert "Whitfield" not in b.url
    a.page("Express care requests, found by patient name")
    b.fill("Find by patient name", "Nobody-Matches-This")
    b.press("Find")
    a.page("Express care requests, no patient of that name")
    b.go(system["express"] + "/care-requests?from=2026-12-10&to=2026-12-01")
    a.page("Express care requests, a filter with an error")
    b.press("Sign out")
    express_sign_in(a, system, "viewer@sunrise.example")
    b.go(system["express"] + f"/care-requests/{changeable}")
    post_by_hand(b, system["express"] + f"/care-requests/{changeable}/reschedule", {})
    assert "You cannot change care requests" in b.text
    a.page("Express change refused to a viewer")
    a.assert_clean()


def test_oss_partner_change_pages(audit, serve):
    """Issue 15 in OSS for a partner: the reschedule page (empty, with its error), its confirmation, the cancel page
    (with its error), its confirmation, and the refusal once the care team is on the way."""
    a, b, system, station = audit, audit.browser, serve.urls, station_of(serve)
    windows = station.free_windows(3, 5)
    care = station.create_sunrise_request(windows[0], complaint="A11y tier")
    racing = station.create_sunrise_request(windows[1], complaint="A11y tier")
    express_sign_in(a, system, "scheduler@sunrise.example")
    b.go(system["express"] + f"/care-requests/{care}")
    b.press("Change time")
    a.page("OSS partner start (change the visit's time)")
    b.press("Continue")
    assert f"/partner/requests/{care}/reschedule" in b.url, b.url
    a.page("OSS partner reschedule")
    b.press("Continue")
    a.page("OSS partner reschedule with an error")
    b.driver.find_elements("css selector", "input[name=window]")[-1].click()
    b.press("Continue")
    a.page("OSS partner reschedule, confirm")
    b.link("Keep it as it is")
    b.go(system["express"] + f"/care-requests/{care}")
    b.press("Cancel request")
    a.page("OSS partner start (cancel the visit)")
    b.press("Continue")
    a.page("OSS partner cancel")
    b.press("Continue")
    a.page("OSS partner cancel with an error")
    b.driver.find_elements("css selector", "input[name=reason]")[0].click()
    b.press("Continue")
    a.page("OSS partner cancel, confirm")
    b.go(system["express"] + f"/care-requests/{racing}")
    b.press("Change time")
    b.press("Continue")
    station.move_on_route(racing)
    b.driver.find_elements("css selector", "input[name=window]")[-1].click()
    b.press("Continue")
    if b.has_button("Move the visit"):
        b.press("Move the visit")
    assert "This visit has started" in b.text, b.text[:500]
    a.page("OSS partner change refused (the care team is on the way)")
    b.go(system["oss"] + f"/partner/requests/{uuid.uuid4()}/cancel")
    a.page("OSS partner change of an unknown request")
    a.assert_clean()


def test_oss_patient_change_pages(audit, serve):
    """Issue 15 in OSS for the demo patient (after test_oss_direct_pages, whose first request links the account):
    My requests with its choices, the reschedule and cancel pages and the request after a cancellation."""
    a, b, system = audit, audit.browser, serve.urls
    b.go(system["oss"] + "/")
    b.sign_in("patient@example.com", PASSWORD)
    b.schedule_for_myself()
    b.press("Start a new request")
    if b.driver.find_elements("css selector", "#given_name"):
        walk_steps(a, "OSS direct (again)", new_patient=True)
    else:
        b.press("Next")
        b.fill("What is going on?", "Cough and a low fever since Tuesday")
        b.check("Cough or congestion")
        b.press("Next")
        if not b.field("Street address").get_attribute("value"):
            for label, value in [("Street address", "1600 Larimer St"), ("City", "Denver"), ("State", "CO"),
                                 ("ZIP code", "80202")]:
                b.fill(label, value)
        b.press("Next")
        b.driver.find_elements("css selector", "input[name=window]")[0].click()
        b.press("Next")
        b.fill("Insurance company", "Medicare")
        b.fill("Member ID", "1EG4-TE5-MK72")
        b.fill("Phone number to call", "303-555-0100")
        b.press("Next")
    b.press("Submit request")
    a.page("OSS confirmation with Add to calendar")
    care = b.url.split("/requests/")[1].split("?")[0]
    b.link("My requests")
    a.page("OSS my requests with Change time and Cancel")
    b.go(system["oss"] + f"/requests/{care}/reschedule")
    a.page("OSS patient reschedule")
    b.press("Continue")
    a.page("OSS patient reschedule with an error")
    b.go(system["oss"] + f"/requests/{care}/cancel")
    a.page("OSS patient cancel")
    b.driver.find_elements("css selector", "input[name=reason]")[0].click()
    b.press("Continue")
    a.page("OSS patient cancel, confirm")
    b.press("Cancel the visit")
    assert "changed=cancelled" in b.url, b.url
    a.page("OSS patient request after its cancellation")
    a.assert_clean()


def test_console_funnel_pages(audit, serve):
    """Issue 19's "Self-scheduling funnel" as an operations admin: every partner (the OSS flows above left their
    events in the serve's analytics file), one partner chosen in the filter, a filter with an error, and a period
    without events."""
    a, b = audit, audit.browser
    console = console_sign_in(a, serve, "ops@example.com")
    b.link("Funnel")
    assert b.present("//main//*[name()='svg'][@role='img']"), b.text[:500]
    a.page("Console self-scheduling funnel")
    b.choose("Partner", "Sunrise Senior Living")
    b.press("Show")
    assert f"partner={SUNRISE}" in b.url, b.url
    a.page("Console self-scheduling funnel of one partner")
    b.go(console + "/funnel?since=not-a-date")
    a.page("Console self-scheduling funnel with an error in the filter")
    b.go(console + "/funnel?since=2099-01-01")
    assert "No events in this period" in b.text, b.text[:500]
    a.page("Console self-scheduling funnel without events")
    a.assert_clean()
