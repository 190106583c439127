import ConsoleDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// What every signed-in page shows around its content: the staff member, navigation by role, the CSRF token for
/// forms (`<input type="hidden" name="csrf" value="#(layout.csrf)">`), a one-time flash, and `liveAfter`, the
/// newest live event id when the page was rendered (`data-live-source="/live?after=#(layout.liveAfter)"`).
package struct Layout: Encodable, Sendable {
    package var title: String
    /// Which navigation entry is current: `triage`, `board`, `admin`, `help`.
    package var section: String
    package var userName: String
    package var roleLabels: String
    package var showTriage: Bool
    package var showBoard: Bool
    package var showAdmin: Bool
    package var csrf: String
    package var flash: Flash?
    package var liveAfter: Int64
}

/// A one-time message shown at the top of the next page (after a redirect).
package struct Flash: Codable, Sendable {
    /// `success`, `error` or `info` (the design system's `.flash-<kind>`).
    package var kind: String
    package var message: String
}

/// A signed-in page: the layout plus the page's own typed context (`#(page.…)` in the template).
package struct Page<Content: Encodable>: Encodable {
    package var layout: Layout
    package var page: Content
}

/// An HTML fragment's context: the page's own content only.
package struct Fragment<Content: Encodable>: Encodable {
    package var page: Content
}

extension Request {
    /// Console, as ``ConsoleApp/configure(_:config:dependencies:now:)`` built it.
    package var console: ConsoleService {
        get throws { try ConsoleApp.service(application) }
    }

    package func layout(_ title: String, section: String) async throws -> Layout {
        let staff = try staffMember
        var flash: Flash?
        if let raw = webSession["_flash"] {
            flash = try? JSONDecoder().decode(Flash.self, from: Data(raw.utf8))
            webSession["_flash"] = nil
        }
        return Layout(
            title: title, section: section, userName: staff.name,
            roleLabels: staff.roles.sorted().map(\.label).joined(separator: ", "),
            showTriage: staff.holds(.nurse), showBoard: staff.holds(.dispatcher),
            showAdmin: staff.holds(.operationsAdmin), csrf: webSession.csrfToken, flash: flash,
            liveAfter: try await console.latestLiveEvent())
    }

    /// Shows `message` at the top of the next page this browser opens.
    package func flash(_ kind: String, _ message: String) {
        let flash = Flash(kind: kind, message: message)
        webSession["_flash"] = (try? JSONEncoder().encode(flash)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Renders `template` (which `#extend("base")`) with the layout and `content` as `page`.
    package func page<Content: Encodable>(
        _ template: String, title: String, section: String, _ content: Content, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let context = Page(layout: try await layout(title, section: section), page: content)
        let response = try await view.render(template, context).encodeResponse(for: self)
        response.status = status
        return response
    }

    /// Renders an HTML fragment (a live section, a table row) without the layout; its template sees `page`.
    package func fragment<Content: Encodable>(_ template: String, _ content: Content) async throws -> Response {
        try await view.render(template, Fragment(page: content)).encodeResponse(for: self)
    }

    /// A page that says one thing, for errors a signed-in staff member can act on.
    package func notice(
        _ status: HTTPResponseStatus, title: String, message: String, section: String = "", retry: Bool = false,
        link: (String, String)? = nil
    ) async throws -> Response {
        struct Notice: Encodable {
            var heading: String
            var message: String
            var retryURL: String?
            var linkURL: String?
            var linkText: String?
        }
        let retryURL = retry ? url.path + (url.query.map { "?" + $0 } ?? "") : nil
        return try await page(
            "notice", title: title, section: section,
            Notice(heading: title, message: message, retryURL: retryURL, linkURL: link?.0, linkText: link?.1),
            status: status)
    }

    /// A page for someone who is not signed in.
    func signedOutPage(
        _ status: HTTPResponseStatus, heading: String, message: String, linkURL: String? = nil,
        linkText: String? = nil
    ) async throws -> Response {
        struct Context: Encodable {
            var title: String
            var heading: String
            var message: String
            var linkURL: String?
            var linkText: String?
        }
        let response = try await view.render(
            "public", Context(title: heading, heading: heading, message: message, linkURL: linkURL, linkText: linkText)
        ).encodeResponse(for: self)
        response.status = status
        return response
    }
}
