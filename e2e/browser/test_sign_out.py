"""Signing out of Express signs out of OSS too (Identity's back-channel logout), in a real browser."""
from test_scenarios import continue_in_oss, express_sign_in


def test_10_signing_out_of_express_ends_the_oss_session(browser, system):
    b = browser
    express_sign_in(b, system, "scheduler@sunrise.example")
    with b.step("start a request: signed in to OSS without a password"):
        b.link("New care request")
        b.press("Start for a new patient")
    continue_in_oss(b, system)
    draft = b.url
    with b.step("sign out of Express"):
        b.go(system["express"] + "/care-requests")
        b.press("Sign out")
        assert "signed out" in b.text.lower(), b.text[:300]
    with b.step("the OSS page asks for the password again"):
        b.go(draft)
        assert not b.url.startswith(draft), b.url
        assert "Password" in b.text, b.text[:300]
