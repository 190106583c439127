import Foundation
import IdentityDomain
import Vapor

/// The login form's context: the authorization request rides along in hidden fields.
struct LoginPage: Encodable {
    var title: String
    var tenant: String
    var tenantName: String
    var clientName: String
    var email: String
    var error: String?
    var csrf: String
    var request: AuthorizationRequest

    private enum CodingKeys: String, CodingKey {
        case title, tenant, tenantName, clientName, email, error, csrf, request, requestQuery, signUp
    }

    /// Also the request as a query and whether the tenant offers sign-up, for the page's links.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(tenantName, forKey: .tenantName)
        try container.encode(clientName, forKey: .clientName)
        try container.encode(email, forKey: .email)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(csrf, forKey: .csrf)
        try container.encode(request, forKey: .request)
        try container.encode(request.query, forKey: .requestQuery)
        try container.encode(tenant == Tenant.patients.rawValue, forKey: .signUp)
    }
}

/// A page that says one thing: an error the user can act on, or a confirmation.
struct MessagePage: Encodable {
    var title: String
    var heading: String
    var message: String
    var linkURL: String?
    var linkText: String?
}

extension Request {
    func render(_ template: String, _ context: some Encodable, status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let view = try await view.render(template, context)
        let response = try await view.encodeResponse(for: self)
        response.status = status
        return response
    }

    func message(
        _ status: HTTPResponseStatus, heading: String, message: String, linkURL: String? = nil,
        linkText: String? = nil
    ) async throws -> Response {
        try await render(
            "message",
            MessagePage(
                title: heading, heading: heading, message: message, linkURL: linkURL,
                linkText: linkText), status: status)
    }
}
