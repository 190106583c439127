import Foundation
import Platform
import Vapor

/// A form sent after the staff member's access token ran out (it lasts minutes; a call and its note take longer)
/// is not lost: its fields wait in the server-side session while the browser goes through sign-in again (one
/// redirect with Identity's single sign-on), then `GET /resume` offers to send them again with one button.
/// Nothing goes into a URL; the fields leave the session when the page is shown.
struct ResumeForm: Codable {
    var path: String
    var fields: [String: String]

    static let sessionKey = "_resume_form"
    /// Larger forms are not kept (no Console form comes near it).
    static let maxBytes = 16 * 1024

    /// Keeps `request`'s form for after sign-in; false when it cannot be kept.
    static func keep(_ request: Request) -> Bool {
        guard let path = ReturnTarget.localPath(request.url.path),
            var fields = try? request.content.decode([String: String].self)
        else { return false }
        fields["csrf"] = nil
        guard let data = try? JSONEncoder().encode(ResumeForm(path: path, fields: fields)), data.count <= maxBytes
        else { return false }
        request.webSession[sessionKey] = String(decoding: data, as: UTF8.self)
        return true
    }

    /// The kept form, removed from the session.
    static func take(_ session: WebSession) -> ResumeForm? {
        guard let raw = session[sessionKey] else { return nil }
        session[sessionKey] = nil
        return try? JSONDecoder().decode(ResumeForm.self, from: Data(raw.utf8))
    }
}

/// `GET /resume`: the kept form, to send again (or not).
struct ResumeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("resume", use: resume)
    }

    func resume(req: Request) async throws -> Response {
        guard let form = ResumeForm.take(req.webSession) else { return req.redirect(to: "/") }
        struct Field: Encodable {
            var name: String
            var value: String
        }
        struct Context: Encodable {
            var action: String
            var fields: [Field]
        }
        let fields = form.fields.sorted { $0.key < $1.key }.map { Field(name: $0.key, value: $0.value) }
        return try await req.page(
            "resume", title: "Send again", section: "", Context(action: form.path, fields: fields))
    }
}
