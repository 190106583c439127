import ArgumentParser
import Foundation
import IdentityDomain

/// For people trying the demo without an authenticator app: the code an app would show now for a secret.
struct TOTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "totp",
        abstract:
            "Print the current two-step sign-in code for a setup key (the demo's: SELFSCHEDULINGDEMOSECONDFACTORAA).")

    @Argument(help: "The setup key (base32, as the enrolment page shows it; spaces allowed).") var secret: String

    func run() throws {
        guard let bytes = Base32.decode(secret), !bytes.isEmpty else {
            throw ValidationError("\(secret) is not a setup key: use the letters A-Z and digits 2-7 the page shows.")
        }
        // The code alone, so a script can read it; each code is good for the rest of its 30 seconds (and the next).
        say(TOTP(secret: bytes).code(at: Date()))
    }
}
