import Foundation

/// The emails of "Forgot password?" and sign-up. Each names no patient: the link is the only secret in it.
extension AccountEmail {
    static func reset(name: String, link: String) -> AccountEmail {
        AccountEmail(
            subject: "Reset your SelfScheduling password", greeting: "Hello \(name),",
            paragraphs: ["Someone asked to reset the password of your SelfScheduling account. Choose a new one here."],
            action: ("Choose a new password", link),
            footer:
                "The link works for 30 minutes and only once. If you did not ask for it, ignore this email: your password stays as it is."
        )
    }

    /// The answer to a reset asked for an address without an account (patients may create one).
    static func noAccount(signUp: String?) -> AccountEmail {
        AccountEmail(
            subject: "Reset your SelfScheduling password", greeting: "Hello,",
            paragraphs: ["You asked to reset a password at SelfScheduling, but no account uses this address."]
                + (signUp == nil
                    ? ["If you expected one, ask your administrator which address your account uses."]
                    : ["You can create an account with this address instead."]),
            action: signUp.map { ("Create an account", $0) },
            footer: "If you did not ask for this, ignore this email.")
    }

    static func verify(name: String, link: String) -> AccountEmail {
        AccountEmail(
            subject: "Confirm your email address", greeting: "Hello \(name),",
            paragraphs: ["Thank you for creating a SelfScheduling account. Confirm that this address is yours."],
            action: ("Confirm my email address", link),
            footer: "The link works for 24 hours. If you did not create an account, ignore this email.")
    }

    /// To the owner of an address that someone tried to sign up with again.
    static func alreadyRegistered(name: String, forgotPassword: String) -> AccountEmail {
        AccountEmail(
            subject: "You already have a SelfScheduling account", greeting: "Hello \(name),",
            paragraphs: [
                "Someone tried to create an account with this address; you already have one. Sign in with it, or choose a new password if you forgot it."
            ],
            action: ("Forgot password?", forgotPassword),
            footer: "If this was not you, ignore this email: nothing has changed.")
    }

    /// The answer to "Send the link again" for an address whose email needs no confirmation.
    static func nothingToConfirm(signIn: String) -> AccountEmail {
        AccountEmail(
            subject: "Confirm your email address", greeting: "Hello,",
            paragraphs: [
                "You asked for a link to confirm this address at SelfScheduling, but there is nothing to confirm: either it is confirmed already or no account uses it."
            ],
            action: ("Sign in", signIn),
            footer: "If you did not ask for this, ignore this email.")
    }
}
