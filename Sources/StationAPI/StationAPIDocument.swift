package import Foundation

/// The Station OpenAPI document, as shipped in this target and served at `/openapi.yaml`.
package enum StationAPIDocument {
    package static func yaml() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
