import Foundation
import Vapor

extension Application {
    /// Serves the shared design system at `/design.css` and, when given, an app's own additions at `/<name>.css`.
    package func serveStylesheets(own name: String? = nil, bundle: Bundle? = nil) throws {
        try serve(css: "design", from: Bundle.module)
        if let name, let bundle { try serve(css: name, from: bundle) }
    }

    private func serve(css name: String, from bundle: Bundle) throws {
        guard let url = bundle.url(forResource: name, withExtension: "css") else {
            throw ConfigurationError("The stylesheet \(name).css is missing from \(bundle.bundlePath).")
        }
        let data = try Data(contentsOf: url)
        get("\(name).css") { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
    }
}
