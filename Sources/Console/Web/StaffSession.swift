import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

/// What a Console session keeps once a staff member signed in: who they are (from the ID token) and their access
/// token for Station (audience `station`) with its expiry. The token stays on the server.
enum StaffSessionKeys {
    static let subject = "staff_sub", email = "staff_email", name = "staff_name", roles = "staff_roles",
        markets = "staff_markets", accessToken = "access_token", accessExpires = "access_expires",
        idToken = "id_token"
}

extension WebSession {
    /// The signed-in staff member, or nil before sign-in.
    var staffMember: StaffMember? {
        guard let id = self[StaffSessionKeys.subject] else { return nil }
        let roles = (self[StaffSessionKeys.roles] ?? "").split(separator: " ").compactMap {
            StaffRole(rawValue: String($0))
        }
        let markets = self[StaffSessionKeys.markets].map { $0.split(separator: " ").map(String.init) }
        return StaffMember(
            id: id, email: self[StaffSessionKeys.email] ?? "", name: self[StaffSessionKeys.name] ?? "",
            roles: Set(roles), markets: MarketAccess(claim: markets))
    }

    /// Keeps who signed in and their tokens (at sign-in, after ``regenerate()``).
    func signIn(_ staff: StaffMember, accessToken: String, expires: Date, idToken: String) {
        self[StaffSessionKeys.subject] = staff.id
        self[StaffSessionKeys.email] = staff.email
        self[StaffSessionKeys.name] = staff.name
        self[StaffSessionKeys.roles] = staff.roles.map(\.rawValue).sorted().joined(separator: " ")
        self[StaffSessionKeys.markets] = staff.markets.claim.joined(separator: " ")
        self[StaffSessionKeys.accessToken] = accessToken
        self[StaffSessionKeys.accessExpires] = String(Int(expires.timeIntervalSince1970))
        self[StaffSessionKeys.idToken] = idToken
    }

    /// The staff member's access token while it has at least `margin` left.
    func accessToken(at now: Date, margin: TimeInterval = 30) -> String? {
        guard let token = self[StaffSessionKeys.accessToken],
            let raw = self[StaffSessionKeys.accessExpires], let expires = TimeInterval(raw),
            now.addingTimeInterval(margin) < Date(timeIntervalSince1970: expires)
        else { return nil }
        return token
    }
}

extension Request {
    private struct StaffKey: StorageKey { typealias Value = StaffMember }
    private struct TokenKey: StorageKey { typealias Value = String }

    /// The signed-in staff member; every page behind ``RequireSignIn`` has one (else 401).
    package var staffMember: StaffMember {
        get throws {
            guard let staff = storage[StaffKey.self] else { throw Abort(.unauthorized) }
            return staff
        }
    }

    fileprivate func setStaff(_ staff: StaffMember, token: String) {
        storage[StaffKey.self] = staff
        storage[TokenKey.self] = token
    }

    /// Station as the signed-in staff member: the generated client with their own access token. Wrap calls in
    /// ``StationStaffGateway/call(_:)`` and turn problem responses into ``StationProblem``.
    package func station() throws -> StationAPI.Client {
        guard let token = storage[TokenKey.self] else { throw Abort(.unauthorized) }
        return try console.station.client(token: token)
    }
}

/// Sends a browser without a signed-in staff member, or whose access token ran out, through sign-in (then back
/// where it was going; Identity's single sign-on makes that one redirect when its own session lives). A form
/// posted with a token that ran out comes back too (``ResumeForm``).
struct RequireSignIn: AsyncMiddleware {
    let now: @Sendable () -> Date

    private func csrf(_ request: Request) -> String? { try? request.content.get(String.self, at: "csrf") }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let session = request.webSession
        if let staff = session.staffMember, let token = session.accessToken(at: now()) {
            request.setStaff(staff, token: token)
            return try await next.respond(to: request)
        }
        // Signed in, but the token ran out while a form was being filled in: keep the form for after sign-in.
        if request.method == .POST, session.staffMember != nil, request.webSession.isValidCSRF(csrf(request)),
            ResumeForm.keep(request)
        {
            return request.redirect(to: "/sign-in?return=/resume")
        }
        return request.signInAgain()
    }
}

extension Request {
    /// A redirect to sign-in that comes back to this page (a form's POST comes back to the start page: what it
    /// sent cannot be replayed safely).
    func signInAgain() -> Response {
        guard method == .GET else { return redirect(to: "/sign-in") }
        var target = url.path
        if let query = url.query { target += "?" + query }
        var components = URLComponents()
        components.path = "/sign-in"
        components.queryItems = [URLQueryItem(name: "return", value: target)]
        return redirect(to: components.string ?? "/sign-in")
    }
}

/// Lets through only staff members who hold `role` (any of `roles`); others get a 403 page that says whose page
/// it is. Mount a feature's routes behind it: `signedIn.grouped(RequireRole(.nurse))`.
package struct RequireRole: AsyncMiddleware {
    package let roles: Set<StaffRole>

    package init(_ roles: StaffRole...) { self.roles = Set(roles) }

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let staff = try request.staffMember
        guard staff.roles.isDisjoint(with: roles) else { return try await next.respond(to: request) }
        let needed = roles.sorted().map { $0.label.lowercased() }.joined(separator: " or ")
        return try await request.notice(
            .forbidden, title: "Not your page",
            message: "This page is for the \(needed) role. You are signed in as \(staff.name) "
                + "(\(staff.roles.isEmpty ? "no Console role" : staff.roles.sorted().map(\.label).joined(separator: ", "))). "
                + "Ask an operations admin if you need it.",
            link: ("/", "Go to your start page"))
    }
}
