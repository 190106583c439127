package import Foundation

/// Express's internal API document: the endpoints other services call (never browsers).
package enum ExpressInternalAPIDocument {
    package static func yaml() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
