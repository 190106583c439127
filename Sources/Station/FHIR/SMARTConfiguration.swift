// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (SMART's JSON names are its own: `token_endpoint`.)

import Foundation

/// `/.well-known/smart-configuration` (SMART App Launch 2.0, for Backend Services): where and how an EHR's
/// backend client gets a token.
struct SMARTConfiguration: Encodable, Sendable {
    var token_endpoint: String
    var token_endpoint_auth_methods_supported = ["private_key_jwt"]
    var token_endpoint_auth_signing_alg_values_supported = ["RS384", "ES384"]
    var grant_types_supported = ["client_credentials"]
    var scopes_supported: [String]
    var capabilities = ["client-confidential-asymmetric"]

    init(tokenURL: String, types: [String]) {
        token_endpoint = tokenURL
        scopes_supported = ["system/*.read"] + types.map { "system/\($0).read" }
    }
}
