package import Foundation

/// The Policy OpenAPI document, as shipped in this target and served at `/openapi.yaml`.
package enum PolicyAPIDocument {
    package static func yaml() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
