import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

/// The management API as Express calls it (a client-credentials token of `express-m2m` for audience `identity`),
/// and the invitation emails Identity queued.
extension IdentityHarness {
    /// A password the rules accept.
    static let chosenPassword = "plum harbor lantern quietly"

    /// Express's machine token for Identity's management API.
    func managementToken() async throws -> String {
        let response = try await token(
            "staff",
            form: ["grant_type": "client_credentials", "audience": "identity", "scope": "identity.accounts.write"],
            basic: ("express-m2m", secrets["express-m2m"]!))
        return try #require(response.object["access_token"] as? String, "\(response.text)")
    }

    /// Calls the management API; `token` nil sends none.
    func management(
        _ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, token: String?
    ) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    /// Creates an express account through the API; returns its id and set-password link.
    func invite(_ email: String, name: String = "Ann Invited", token: String) async throws -> (id: String, link: String)
    {
        let created = try await management(
            .POST, "/express/management/accounts",
            json: ["email": email, "name": name, "organization": "Sunrise Senior Living", "invited_by": "Alex Admin"],
            token: token)
        #expect(created.status == .created, "\(created.text)")
        return (
            try #require(created.object["account_id"] as? String),
            try #require(created.object["set_password_url"] as? String)
        )
    }

    /// The account's invitation state as the API reports it.
    func invitationState(_ id: String, token: String) async throws -> String? {
        let answer = try await management(
            .POST, "/express/management/accounts/states", json: ["account_ids": [id]], token: token)
        let accounts = answer.object["accounts"] as? [[String: Any]] ?? []
        return (accounts.first?["invitation"] as? [String: Any])?["state"] as? String
    }

    /// The emails Identity queued, oldest first.
    func queuedMail() async throws -> [MailMessage] {
        try await OutboxLog(database: service.database).messages(destination: Mailer.destination, limit: 100)
            .reversed().map { try JSONDecoder().decode(MailMessage.self, from: $0.payload) }
    }

    /// The path (with its query) of the set-password link in an email's text.
    static func linkPath(in mail: MailMessage) throws -> String {
        let line = try #require(mail.text.split(separator: "\n").first { $0.contains("/set-password?token=") })
        let url = try #require(URLComponents(string: String(line)))
        return "\(url.path)?\(url.query ?? "")"
    }

    /// The path (with its query) of a set-password URL.
    static func path(_ url: String) throws -> String {
        let components = try #require(URLComponents(string: url))
        return "\(components.path)?\(components.query ?? "")"
    }
}
