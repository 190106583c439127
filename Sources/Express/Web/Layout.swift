import Foundation
import Platform
import Vapor

/// What every signed-in page shows around its content.
struct Layout: Encodable {
    var title: String
    var section: String
    var userName: String
    var partnerName: String
    var canSchedule: Bool
    var isAdmin: Bool
    var csrf: String
    var flash: Flash?
}

/// A one-time message shown at the top of the next page.
struct Flash: Codable {
    var kind: String
    var message: String
    var linkURL: String?
    var linkText: String?
}

/// A signed-in page: the layout plus the page's own typed context.
struct Page<Content: Encodable>: Encodable {
    var layout: Layout
    var page: Content
}

extension Request {
    func layout(_ title: String, section: String) throws -> Layout {
        let user = try user()
        var flash: Flash?
        if let raw = webSession["_flash"], let data = raw.data(using: .utf8) {
            flash = try? JSONDecoder().decode(Flash.self, from: data)
            webSession["_flash"] = nil
        }
        return Layout(
            title: title, section: section, userName: user.name, partnerName: user.partnerName,
            canSchedule: user.role.canSchedule, isAdmin: user.role.canManageUsers, csrf: webSession.csrfToken,
            flash: flash)
    }

    func flash(_ kind: String, _ message: String, link: (String, String)? = nil) {
        let flash = Flash(kind: kind, message: message, linkURL: link?.0, linkText: link?.1)
        webSession["_flash"] = (try? JSONEncoder().encode(flash)).map { String(decoding: $0, as: UTF8.self) }
    }

    func page<Content: Encodable>(
        _ template: String, title: String, section: String, _ content: Content,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let view = try await view.render(template, Page(layout: try layout(title, section: section), page: content))
        let response = try await view.encodeResponse(for: self)
        response.status = status
        return response
    }

    /// A page that says one thing, for errors a signed-in user can act on.
    func notice(
        _ status: HTTPResponseStatus, title: String, message: String, section: String = "",
        retry: Bool = false, link: (String, String)? = nil
    ) async throws -> Response {
        struct Notice: Encodable {
            var heading: String
            var message: String
            var retryURL: String?
            var linkURL: String?
            var linkText: String?
        }
        var retryURL: String?
        if retry { retryURL = url.path + (url.query.map { "?" + $0 } ?? "") }
        return try await page(
            "notice", title: title, section: section,
            Notice(heading: title, message: message, retryURL: retryURL, linkURL: link?.0, linkText: link?.1),
            status: status)
    }
}
