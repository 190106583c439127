import Fluent
import Foundation
import Platform
import Vapor

extension IdentityApp {
    /// The demo accounts found in Identity's database: their password is public, so a production database that
    /// holds any of them must not serve (`selfsched serve` refuses to start on it).
    package static func demoAccountsPresent(_ app: Application) async throws -> [String] {
        let emails = DemoIdentities.accounts.map { $0.email.lowercased() }
        return try await AccountModel.query(on: app.db).filter(\.$email ~~ emails).all().map(\.email).sorted()
    }
}
