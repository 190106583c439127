import Foundation

/// A sign-in account just made at the identity provider.
package struct ProvisionedAccount: Sendable, Equatable {
    /// The one-time link the new user opens to choose a password.
    package var setPasswordURL: String

    package init(setPasswordURL: String) { self.setPasswordURL = setPasswordURL }
}

/// The identity provider already has a sign-in account for this email.
package struct AccountExists: Error {
    package init() {}
}

/// Creates a partner user's sign-in account at the identity provider. Throws ``AccountExists`` for an email it
/// already knows, ``ServiceUnavailable`` when it cannot be reached or refuses.
package protocol AccountProvisioner: Sendable {
    func createAccount(email: String, name: String) async throws -> ProvisionedAccount
}
