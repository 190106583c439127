import Foundation

/// The `$bulk-publish` manifest (SMART Scheduling Links, after FHIR Bulk Data's output manifest).
struct BulkManifest: Encodable, Sendable {
    var transactionTime: String
    var request: String
    var output: [Output]
    var error: [Output] = []

    struct Output: Encodable, Sendable {
        var type: String
        var url: String
        var `extension`: OutputExtension?
    }

    /// The spec's optional hint on slot files: the states their locations are in.
    struct OutputExtension: Encodable, Sendable {
        var state: [String]
    }
}
