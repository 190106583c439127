"""Issue 16's pages, audited by axe-core at 1280 and 390 px: Identity's forgot-password, reset, sign-up, email
confirmation, invitation renewal, second-factor code and enrolment pages (with their errors), and OSS's people pages.
The serve of this tier has no SMTP server, so the links are read from the .eml files it writes (<data dir>/mail)."""
import email
import email.policy
import re
import secrets
import time
import uuid
from pathlib import Path

import requests

from second_factor import CODE_LABEL, ENROL_BUTTON, RECOVERY_LABEL
from selfsched_e2e import machine_token
from test_pages import express_sign_in

PASSWORD_OF_NEW_ACCOUNTS = "Quiet harbor " + secrets.token_hex(4)


def emailed_link(serve, address, path, timeout=30):
    """The newest `path` link (e.g. reset-password) emailed to `address`, from the .eml files serve writes."""
    deadline = time.time() + timeout
    while True:
        found = []
        for file in Path(serve.data_dir, "mail").rglob("*.eml"):
            message = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
            if address in str(message["To"]):
                text = message.get_body(("plain",)).get_content()
                found += [(file.stat().st_mtime, link) for link in
                          re.findall(rf"https?://[^\s<>\"']+/{path}\?token=[^\s<>\"']+", text)]
        if found:
            return max(found)[1]
        assert time.time() < deadline, f"no {path} link was emailed to {address} in {timeout} s"
        time.sleep(0.3)


def management(serve):
    token = machine_token(serve.urls["identity"], "express-m2m", serve.secrets()["express-m2m"], "identity",
                          "identity.accounts.write")
    return {"Authorization": f"Bearer {token}"}


def new_express_account(serve):
    """A new Express account (email, its account id, its set-password link), made as Express makes it."""
    address = f"a11y-{uuid.uuid4().hex[:8]}@sunrise.example"
    answer = requests.post(serve.urls["identity"] + "/express/management/accounts", headers=management(serve),
                           json={"email": address, "name": "Ann Sixteen"}, timeout=10)
    assert answer.status_code == 201, answer.text
    return address, answer.json()["account_id"], answer.json()["set_password_url"]


def set_password(b, link, password):
    b.go(link)
    b.fill("New password (at least 12 characters)", password)
    b.fill("Repeat the password", password)
    b.press("Set password")
    assert "Your password is set" in b.text, b.text[:300]


def test_identity_recovery_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    b.go(system["express"] + "/")
    b.link("Forgot password?")
    a.page("Identity forgot password")
    b.fill("Email", "viewer@sunrise.example")
    b.press("Send reset link")
    a.page("Identity forgot password, check your email")
    b.go(emailed_link(serve, "viewer@sunrise.example", "reset-password"))
    a.page("Identity reset password")
    b.fill("New password", "short")
    b.fill("Confirm new password", "short")
    b.press("Set new password")
    a.page("Identity reset password with an error")
    b.go(system["identity"] + "/express/reset-password?token=" + uuid.uuid4().hex)
    a.page("Identity reset link expired")
    a.assert_clean()


def test_identity_invitation_pages(audit, serve):
    """The renewal pages of a link that stopped working (an invitation re-issued since), and a used link's page."""
    a, b, system = audit, audit.browser, serve.urls
    address, account, first = new_express_account(serve)
    again = requests.post(f"{system['identity']}/express/management/accounts/{account}/invitation",
                          headers=management(serve), timeout=10)
    assert again.status_code == 201, again.text
    b.go(first)
    assert "This link has expired" in b.text, b.text[:300]
    a.page("Identity set-password link expired")
    b.press("Send me a new link")
    a.page("Identity set-password, a new link was sent")
    renewed = emailed_link(serve, address, "set-password")
    set_password(b, renewed, PASSWORD_OF_NEW_ACCOUNTS)
    b.go(renewed)
    assert "This link was already used" in b.text, b.text[:300]
    a.page("Identity set-password link already used")
    a.assert_clean()


def test_identity_sign_up_pages_and_oss_people_pages(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    address, name = f"a11y-{uuid.uuid4().hex[:8]}@example.com", "Rhea Sixteen"
    b.go(system["oss"] + "/")
    b.link("Create an account")
    a.page("Identity sign-up")
    b.press("Create account")
    a.page("Identity sign-up with errors")
    b.fill("Your name", name)
    b.fill("Email", address)
    b.fill("Password", PASSWORD_OF_NEW_ACCOUNTS)
    b.fill("Confirm password", PASSWORD_OF_NEW_ACCOUNTS)
    b.press("Create account")
    a.page("Identity sign-up, check your email")
    b.go(system["oss"] + "/")
    b.sign_in(address, PASSWORD_OF_NEW_ACCOUNTS)
    assert "Confirm your email first" in b.text, b.text[:300]
    a.page("Identity confirm your email first")
    b.go(emailed_link(serve, address, "verify-email"))
    a.page("Identity email confirmed")
    b.press("Continue")
    if b.has_field("Password"):
        b.sign_in(address, PASSWORD_OF_NEW_ACCOUNTS)
    if "Sign-in did not complete" in b.text:
        # Continue goes on with the sign-up's own sign-in, which OSS no longer expects after the refused one above.
        a.page("OSS sign-in did not complete")
        b.press("Sign in")
    assert "/people/new" in b.url, b.url
    a.page("OSS whom do you schedule for")
    b.press("Save")
    a.page("OSS whom do you schedule for, with an error")
    b.pick("Myself")
    b.press("Save")
    b.go(system["oss"] + "/people")
    a.page("OSS people")
    b.link("Add a family member")
    a.page("OSS add a family member")
    if b.present("//label[normalize-space()='A family member']"):
        b.pick("A family member")
    b.press("Save")
    a.page("OSS add a family member, with an error")
    b.fill("Family member's name", "Theo Sixteen (son)")
    b.press("Save")
    b.go(system["oss"] + "/people")
    a.page("OSS people, two of them")
    b.go(system["oss"] + "/")
    a.page("OSS home, who is this visit for")
    b.press("Start")
    a.page("OSS home, who is this visit for, with an error")
    b.go(system["oss"] + "/people")
    b.click(b.driver.find_elements("xpath", "//main//button[normalize-space()='Remove' or starts-with(normalize-space(), 'Remove')]")[-1])
    a.page("OSS people after a removal")
    a.assert_clean()


def test_identity_second_factor_pages(audit, serve):
    """The code page of an enrolled admin (with a wrong code, and the recovery code form), and the offered
    enrolment of a new scheduler's account on its security page, through its recovery codes."""
    a, b, system = audit, audit.browser, serve.urls
    b.go(system["express"] + "/")
    b.sign_in("admin@mercy.example", second_factor=False)
    assert b.has_field(CODE_LABEL), b.text[:300]
    a.page("Identity second factor, the code page")
    b.fill(CODE_LABEL, "000000")
    b.press("Verify")
    a.page("Identity second factor, a wrong code")
    b.link("Use a recovery code")
    assert b.has_field(RECOVERY_LABEL), b.text[:300]
    a.page("Identity second factor, a recovery code")
    address, _, link = new_express_account(serve)
    b.driver.delete_all_cookies()
    set_password(b, link, PASSWORD_OF_NEW_ACCOUNTS)
    b.go(system["identity"] + "/express/account/security")
    a.page("Identity account security, signed out")
    b.fill("Email", address)
    b.fill("Password", PASSWORD_OF_NEW_ACCOUNTS)
    b.press("Continue")
    assert b.has_field(CODE_LABEL) and "Set up two-step sign-in" in b.text, b.text[:300]
    a.page("Identity set up two-step sign-in")
    b.fill(CODE_LABEL, "000000")
    b.press(ENROL_BUTTON)
    a.page("Identity set up two-step sign-in with a wrong code")
    b.enter_code(address, ENROL_BUTTON, secret=b.setup_secret())
    assert len(re.findall(r"\b[a-z2-7]{4}-[a-z2-7]{4}\b", b.text)) == 10, b.text[:500]
    a.page("Identity recovery codes")
    a.assert_clean()


def test_express_user_edit_page(audit, serve):
    a, b, system = audit, audit.browser, serve.urls
    express_sign_in(a, system, "admin@sunrise.example")
    b.link("Users")
    b.click(b.driver.find_elements("xpath", "//main//a[normalize-space()='Edit']")[-1])
    a.page("Express edit a user")
    b.fill("Email", "not-an-email")
    b.press("Save changes")
    a.page("Express edit a user with an error")
    a.assert_clean()
