import Foundation
import IdentityDomain

extension PasswordRules {
    /// The rules with the common-password list bundled with Identity, read once.
    static let bundled: PasswordRules = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("Identity's bundle lacks common-passwords.txt (see Package.swift's resources).") }
        return PasswordRules(commonPasswordList: text)
    }()
}

extension IdentityService {
    /// What a new password must be; the set-password, reset and sign-up pages all ask these rules.
    var passwordRules: PasswordRules { .bundled }
}
