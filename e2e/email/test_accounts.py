"""Accounts that look after themselves (issue 16), in a real Chromium with every email read from the real SMTP
server: an invited user's link expires and they ask for a new one; a partner user resets a forgotten password; a
patient signs up, confirms the address and schedules for herself and her father; a new partner admin turns on
two-step sign-in and signs in with a code. Screenshots of each step land in e2e/artifacts."""
import re
import secrets
import sys
import time
from urllib.parse import quote as url_quote
from urllib.parse import urljoin

import pyotp
import pytest
import requests
from selenium.webdriver.common.by import By

from second_factor import CODE_LABEL, ENROL_BUTTON, RECOVERY_LABEL, Page, last_step, remember_secret, submit
from selfsched_e2e import PASSWORD, ROOT, Browser, make_driver, quote

sys.path.insert(0, str(ROOT / "e2e" / "browser"))
from test_scenarios import finish_steps  # noqa: E402  (the browser tier's walk through a request's steps)

ADMIN = "admin@sunrise.example"
SCHEDULER = "scheduler@sunrise.example"
LINK = r"https?://[^\s<>\"']+/{path}\?token=[^\s<>\"']+"


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


def new_password():
    return "Harbor lantern " + secrets.token_hex(4)


def emails_to(mailbox, address, count=1, containing=None, timeout=60):
    """The first `count` messages to `address` (whose text has `containing`), in the order they arrived."""
    return mailbox.wait_for(count, timeout=timeout, match=lambda m: address in m.envelope_to and (
        containing is None or containing in m.text))


def link_in(message, path):
    """The link to `path` (e.g. set-password) in both parts of an email; the same in each."""
    links = [re.findall(LINK.format(path=path), part) for part in (message.text, message.html)]
    assert links[0], f"no {path} link in the email: {message.text}"
    assert links[1] and links[1][0].replace("&amp;", "&") == links[0][0], "the HTML part links elsewhere"
    return links[0][0]


def express_sign_in(b, urls, email, password=PASSWORD):
    with b.step(f"sign in to Express as {email}"):
        b.go(urls["express"] + "/")
        b.sign_in(email, password)
        assert b.url.startswith(urls["express"] + "/care-requests"), b.url


def user_row(b, urls, email):
    b.go(urls["express"] + "/users")
    return b.driver.find_element(By.XPATH, f"//tbody/tr[contains(., {quote(email)})]").text


def invite(b, urls, mailbox, email, name, role):
    """The signed-in admin adds a user on the Users page; returns the invitation email."""
    with b.step(f"add {name} as {role.split(' ')[0]}: Express emails the invitation"):
        b.link("Users")
        b.fill("Email", email)
        b.fill("Name", name)
        b.choose("Role", role)
        b.press("Add user")
        assert f"{name} was added as" in b.text, b.text[:600]
        assert "We have emailed them an invitation to choose a password." in b.text
        assert "/set-password?" not in b.driver.page_source, "the link is emailed, not shown"
    with b.step("the invitation arrives at the SMTP server"):
        [mail] = emails_to(mailbox, email, containing="/set-password?token=")
        assert mail.header("Subject") == "You're invited to Express", mail.header("Subject")
        assert "Ada Admin added you to Express for Sunrise" in mail.text, mail.text
        assert "Choose your password" in mail.text and "The link works for" in mail.text
        return mail


def choose_password(b, link, password):
    b.go(link)
    assert "Choose your password" in b.text, b.text[:400]
    b.fill("New password (at least 12 characters)", password)
    b.fill("Repeat the password", password)
    b.press("Set password")
    assert "Your password is set" in b.text, b.text[:400]


def test_an_expired_invitation_is_renewed_by_its_owner_who_then_signs_in(mail_serve, mailbox, browser,
                                                                         second_browser):
    urls, admin, person = mail_serve.urls, browser, second_browser
    email, name, password = f"ines-{secrets.token_hex(3)}@sunrise.example", "Ines Invited", new_password()
    express_sign_in(admin, urls, ADMIN)
    first = link_in(invite(admin, urls, mailbox, email, name, "Scheduler — views and starts care requests"),
                    "set-password")
    invited_at = time.time()  # the link was made before its email arrived
    with admin.step("the Users page says the invitation was sent"):
        assert "Invitation sent" in user_row(admin, urls, email)
    with person.step("the invited user opens the link"):
        person.go(first)
        assert "Choose your password" in person.text, person.text[:400]
    with admin.step("the Users page says the invitation was opened"):
        assert "Invitation opened" in user_row(admin, urls, email)
    lifetime = int(mail_serve.extra_env["IDENTITY_INVITATION_TTL_SECONDS"])
    time.sleep(max(0.0, invited_at + lifetime + 1 - time.time()))
    with admin.step("once the link has lapsed, the Users page says so and offers a new invitation"):
        row = user_row(admin, urls, email)
        assert "Invitation expired" in row and "Send a new invitation" in row, row
    with person.step("the lapsed link says it has expired and offers a new one"):
        person.go(first)
        assert "This link has expired" in person.text, person.text[:400]
        assert not person.has_field("New password (at least 12 characters)")
    with person.step("Send me a new link: sent to the address on file, which the page does not show"):
        person.press("Send me a new link")
        assert "We have sent a new link to the address on file." in person.text, person.text[:400]
        assert email not in person.driver.page_source
    with person.step("the new link arrives by email"):
        renewed = link_in(emails_to(mailbox, email, count=2, containing="/set-password?token=")[1], "set-password")
        assert renewed != first
        assert "Invitation sent" in user_row(admin, urls, email)
    with person.step("choose a password through the new link"):
        choose_password(person, renewed, password)
    with person.step("the used link cannot be used again"):
        person.go(renewed)
        assert "This link was already used" in person.text, person.text[:400]
    express_sign_in(person, urls, email, password)
    with person.step("signed in to Express as the new scheduler"):
        assert "Care requests" in person.text
    with admin.step("the Users page shows the user as active"):
        assert "Active" in user_row(admin, urls, email)


def common_password():
    """A password of 12 characters or more from the bundled list of common passwords."""
    listed = ROOT / "Sources" / "Identity" / "Resources" / "common-passwords.txt"
    for line in listed.read_text().splitlines():
        if not line.startswith("#") and 12 <= len(line.strip()) <= 64 and " " not in line.strip():
            return line.strip()
    raise AssertionError("no common password of 12 characters or more in the bundled list")


def reset_by_mail(urls, mailbox, email, password):
    """Resets `email`'s password over HTTP as a browser would: the forgot form, the reset email, the reset form."""
    count = 1 + len([m for m in mailbox.messages if email in m.envelope_to and "/reset-password?token=" in m.text])
    session = requests.Session()
    page = session.get(urls["identity"] + "/express/forgot-password", timeout=10)
    form = Page(page.text)
    field, button = form.field("Email"), form.form_with_button("Send reset link")
    sent = submit(session, page.url, field[0], {field[1]: email}, button[1:])
    assert sent.status_code == 200 and "Check your email" in sent.text, sent.text[:400]
    link = link_in(emails_to(mailbox, email, count=count, containing="/reset-password?token=")[-1], "reset-password")
    page = session.get(link, timeout=10)
    form = Page(page.text)
    (reset, first), (_, second) = form.field("New password"), form.field("Confirm new password")
    done = submit(session, page.url, reset, {first: password, second: password},
                  form.form_with_button("Set new password")[1:])
    if done.is_redirect:
        done = session.get(urljoin(done.url, done.headers["Location"]), timeout=10)
    assert "Your password is changed" in done.text, done.text[:400]


def test_a_partner_user_resets_a_forgotten_password_from_expresss_sign_in_page(mail_serve, mailbox, browser,
                                                                               second_browser):
    urls, b, elsewhere = mail_serve.urls, browser, second_browser
    password = new_password()
    express_sign_in(elsewhere, urls, SCHEDULER)
    try:
        with b.step("Express's sign-in page offers Forgot password?"):
            b.go(urls["express"] + "/")
            b.link("Forgot password?")
            assert b.has_field("Email") and b.has_button("Send reset link"), b.text[:400]
            forgot = b.url
        with b.step("an unknown address gets the same answer"):
            b.fill("Email", f"nobody-{secrets.token_hex(3)}@sunrise.example")
            b.press("Send reset link")
            unknown = b.text
            assert "Check your email" in unknown
        with b.step("ask for a reset link"):
            b.go(forgot)
            b.fill("Email", SCHEDULER)
            b.press("Send reset link")
            assert "If an account uses this address, we have sent a link to reset its password. It works for 30 " \
                   "minutes." in b.text, b.text[:400]
            assert b.text == unknown, "the answer tells a known address from an unknown one"
        with b.step("the reset link arrives; the unknown address is told no account uses it"):
            link = link_in(emails_to(mailbox, SCHEDULER, containing="/reset-password?token=")[0], "reset-password")
            assert link.startswith(urls["identity"] + "/express/reset-password?token="), link
            [stranger] = mailbox.wait_for(1, match=lambda m: m.envelope_to[0].startswith("nobody-"))
            assert "no account uses this address" in stranger.text, stranger.text
        with b.step("the reset page refuses a short, a common and a name-bearing password"):
            b.go(link)
            for attempt, problem in [
                ("short-one", "Choose a password of at least 12 characters."),
                (common_password(), "This password is too common."),
                ("Scheduler lantern 42", "Your password must not contain your email address's name."),
            ]:
                b.fill("New password", attempt)
                b.fill("Confirm new password", attempt)
                b.press("Set new password")
                assert problem in b.text, (attempt, b.text[:400])
        with b.step("set a new password"):
            b.fill("New password", password)
            b.fill("Confirm new password", password)
            b.press("Set new password")
            assert "Your password is changed" in b.text, b.text[:400]
        with elsewhere.step("the session signed in before the reset has ended"):
            elsewhere.go(urls["express"] + "/care-requests")
            assert not elsewhere.url.startswith(urls["express"]) and "Password" in elsewhere.text, elsewhere.url
        with b.step("back to Express's sign-in; the old password no longer works"):
            b.link("Sign in")
            b.sign_in(SCHEDULER, PASSWORD)
            assert not b.url.startswith(urls["express"]) and b.has_field("Password"), b.url
        with b.step("sign in with the new password"):
            b.sign_in(SCHEDULER, password)
            assert b.url.startswith(urls["express"] + "/care-requests"), b.url
        with b.step("the reset link works once"):
            b.go(link)
            assert "This link has expired" in b.text and b.has_button("Send me a new link"), b.text[:400]
    finally:
        # The other tests of the tier sign in with the demo password.
        reset_by_mail(urls, mailbox, SCHEDULER, PASSWORD)


def patient_details(b, first, last, born, sex, phone):
    b.fill("First name", first)
    b.fill("Last name", last)
    b.fill("Date of birth (YYYY-MM-DD)", born)
    b.choose("Sex", sex)
    b.fill("Phone", phone)


def test_a_patient_signs_up_and_schedules_for_herself_and_her_father(mail_serve, mailbox, browser, second_browser):
    urls, b, other = mail_serve.urls, browser, second_browser
    email, password, family = f"rosa-{secrets.token_hex(3)}@example.com", new_password(), "Jones" + secrets.token_hex(2)
    father = f"Walter {family} (father)"
    with b.step("OSS's sign-in page offers to create an account"):
        b.go(urls["oss"] + "/")
        b.link("Create an account")
    with b.step("create an account"):
        b.fill("Your name", f"Rosa {family}")
        b.fill("Email", email)
        b.fill("Password", password)
        b.fill("Confirm password", password)
        b.press("Create account")
        assert "We have sent a link to confirm your email address. It works for 24 hours." in b.text, b.text[:400]
    with other.step("signing in before confirming the address is refused"):
        other.go(urls["oss"] + "/")
        other.sign_in(email, password)
        assert "Confirm your email first" in other.text and other.has_button("Send the link again"), other.text[:400]
    with b.step("the confirmation link arrives and confirms the address"):
        link = link_in(emails_to(mailbox, email, containing="/verify-email?token=")[0], "verify-email")
        b.go(link)
        assert "Your email is confirmed" in b.text, b.text[:400]
        b.press("Continue")
    with b.step("sign in; OSS asks whom the account schedules for"):
        if b.has_field("Password"):
            b.sign_in(email, password)
        assert b.url.startswith(urls["oss"] + "/people/new"), b.url
        assert "Whom do you schedule visits for?" in b.text
        b.pick("Myself")
        b.press("Save")
    with b.step("start a request for herself"):
        b.go(urls["oss"] + "/")
        assert "Who is this visit for?" not in b.text
        b.press("Start a new request")
    with b.step("her own details"):
        patient_details(b, "Rosa", family, "1968-09-12", "Female", "303-555-0161")
    finish_steps(b, window_index=1)
    with b.step("her request is in"):
        assert "Your request is in" in b.text, b.text[:400]
    with b.step("add her father on the People page"):
        b.go(urls["oss"] + "/people")
        assert "People you schedule for" in b.text
        b.link("Add a family member")
        if b.present(f"//label[normalize-space()={quote('A family member')}]"):
            b.pick("A family member")
        b.fill("Family member's name", father)
        b.press("Save")
        b.go(urls["oss"] + "/people")
        assert father in b.text, b.text[:600]
    with b.step("the start page asks whom the visit is for: her father"):
        b.go(urls["oss"] + "/")
        assert "Who is this visit for?" in b.text
        b.pick(father)
        b.press("Start")
    with b.step("his details"):
        patient_details(b, "Walter", family, "1941-02-17", "Male", "303-555-0162")
    finish_steps(b, window_index=2)
    with b.step("his request is in"):
        assert "Your request is in" in b.text, b.text[:400]
    with b.step("My requests shows both, each saying whose it is"):
        b.link("My requests")
        rows = [row.text for row in b.driver.find_elements(By.CSS_SELECTOR, "main li.card, main tbody tr")]
        assert len(rows) == 2, rows
        assert len([row for row in rows if father in row]) == 1, rows
        assert any(father not in row and ("Myself" in row or "Rosa" in row) for row in rows), rows


def test_a_new_partner_admin_turns_on_two_step_sign_in_and_signs_in_with_a_code(mail_serve, mailbox, browser,
                                                                               second_browser):
    urls, admin, b = mail_serve.urls, browser, second_browser
    email, name, password = f"alma-{secrets.token_hex(3)}@sunrise.example", "Alma Admin", new_password()
    express_sign_in(admin, urls, ADMIN)
    link = link_in(invite(admin, urls, mailbox, email, name, "Admin — also manages users"), "set-password")
    with b.step("the new admin chooses a password"):
        choose_password(b, link, password)
    with b.step("signing in asks an admin to set up two-step sign-in"):
        b.go(urls["express"] + "/")
        b.sign_in(email, password, second_factor=False)
        assert "Set up two-step sign-in" in b.text, b.text[:400]
    with b.step("the page shows the setup key, grouped in fours, and the otpauth:// URI as text and as a link"):
        uri = b.driver.find_element(By.CSS_SELECTOR, "a[href^='otpauth://']").get_attribute("href")
        assert uri in b.text
        assert uri.startswith("otpauth://totp/SelfScheduling") and url_quote(email, safe="@") in uri.replace(
            "%40", "@"), uri
        parsed = pyotp.parse_uri(uri)
        assert email in parsed.name and (parsed.issuer, parsed.digits, parsed.interval) == ("SelfScheduling", 6, 30)
        assert "algorithm=SHA1" in uri and parsed.digest().name == "sha1", uri
        secret = parsed.secret
        assert "Setup key" in b.text
        assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in b.text, b.text[:600]
        remember_secret(email, secret)
    with b.step("a wrong code is refused"):
        right = {pyotp.TOTP(secret).at(time.time() + 30 * n) for n in (-1, 0, 1)}
        b.fill(CODE_LABEL, next(code for code in ("000000", "111111", "222222") if code not in right))
        b.press(ENROL_BUTTON)
        assert b.has_field(CODE_LABEL) and "Set up two-step sign-in" in b.text, b.text[:400]
    with b.step("the code from the authenticator turns it on; ten recovery codes are shown once"):
        b.enter_code(email, ENROL_BUTTON)
        codes = re.findall(r"\b[a-z2-7]{4}-[a-z2-7]{4}\b", b.text)
        assert len(set(codes)) == 10, b.text[:800]
        enrolment_code = pyotp.TOTP(secret).at(last_step(email) * 30)
        b.press("Continue")
        assert b.url.startswith(urls["express"] + "/care-requests"), b.url
    with b.step("sign out and in again: the code page"):
        b.press("Sign out")
        b.go(urls["express"] + "/")
        b.sign_in(email, password, second_factor=False)
        assert "Enter the 6-digit code from your authenticator app" in b.text, b.text[:400]
    with b.step("the code used to turn it on is not accepted again"):
        b.fill(CODE_LABEL, enrolment_code)
        b.press("Verify")
        assert b.has_field(CODE_LABEL) and not b.url.startswith(urls["express"]), b.url
    with b.step("a new code signs in"):
        b.enter_code(email)
        assert b.url.startswith(urls["express"] + "/care-requests"), b.url
    with b.step("sign out and in with a saved recovery code"):
        b.press("Sign out")
        b.go(urls["express"] + "/")
        b.sign_in(email, password, second_factor=False)
        use_recovery_code(b, codes[0])
        assert b.url.startswith(urls["express"] + "/care-requests"), b.url
    with b.step("a recovery code works once"):
        b.press("Sign out")
        b.go(urls["express"] + "/")
        b.sign_in(email, password, second_factor=False)
        use_recovery_code(b, codes[0])
        assert not b.url.startswith(urls["express"]), b.url
    with admin.step("the Users page shows the new admin as active"):
        assert "Active" in user_row(admin, urls, email)


def use_recovery_code(b, code):
    b.link("Use a recovery code")
    field = b.field(RECOVERY_LABEL)
    field.clear()
    field.send_keys(code)
    b.click(field.find_element(By.XPATH, "ancestor::form//button[not(@type) or @type='submit']"))
