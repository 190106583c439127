import Foundation
import Vapor
import Vocabulary

extension Problem {
    /// The same problem as a small page, for a browser that asked for HTML (an unknown address, an expired form):
    /// a title, what happened, a way on, and the request id to quote to support.
    package func htmlResponse(requestID: String?) -> Response {
        let escape = HTMLText.escape
        let heading = status == .notFound ? "Page not found" : title
        let message =
            status == .notFound
            ? "There is nothing at this address. It may have been mistyped, or the page has moved."
            : status == .internalServerError
                ? "Something went wrong on our side. Please try again in a moment." : detail
        let reference = requestID.map { "<p class=\"muted\">Reference for support: \(escape($0))</p>" } ?? ""
        let page = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(heading)) – SelfScheduling</title><link rel="stylesheet" href="/design.css"></head>
            <body><main class="container"><h1>\(escape(heading))</h1><p>\(escape(message))</p>
            <p><a href="/">Go to the start page</a></p>\(reference)</main></body>
            </html>
            """
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: page))
    }
}

extension Request {
    /// A browser navigating (its Accept names HTML), rather than an API client.
    package var prefersHTML: Bool {
        headers[.accept].contains { $0.contains("text/html") }
    }
}
