package import Foundation

/// Express's JSON API for partner integrations, served at `/api/v1/openapi.yaml`.
package enum ExpressPartnerAPIDocument {
    package static func yaml() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
