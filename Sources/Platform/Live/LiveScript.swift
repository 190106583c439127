import Foundation
import Vapor

extension Application {
    /// Serves the live-update script at `/live.js` (see its header for the data attributes a page sets).
    package func serveLiveScript() throws {
        guard let url = Bundle.module.url(forResource: "live", withExtension: "js") else {
            throw ConfigurationError("live.js is missing from \(Bundle.module.bundlePath).")
        }
        let data = try Data(contentsOf: url)
        get("live.js") { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
    }
}
