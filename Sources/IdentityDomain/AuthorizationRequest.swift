import Foundation

/// A client's request to the authorization endpoint, checked in the order RFC 6749 asks: first what makes
/// the redirect URI trustworthy, then everything that can be reported back to it.
package struct AuthorizationRequest: Sendable, Equatable, Codable {
    package var clientID: String
    package var redirectURI: String
    package var responseType: String
    package var scope: String
    package var state: String
    package var nonce: String?
    package var codeChallenge: String
    package var codeChallengeMethod: String
    package var prompt: String?

    package init(
        clientID: String, redirectURI: String, responseType: String, scope: String, state: String, nonce: String?,
        codeChallenge: String, codeChallengeMethod: String, prompt: String? = nil
    ) {
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.responseType = responseType
        self.scope = scope
        self.state = state
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.prompt = prompt
    }

    /// An error that may go back to the (verified) redirect URI.
    package struct Refusal: Error, Equatable, Sendable {
        package var error: String
        package var description: String
    }

    /// Checks what can be reported to the client; the caller has already verified the client and redirect URI.
    package func validate() throws(Refusal) {
        guard responseType == "code" else {
            throw Refusal(error: "unsupported_response_type", description: "Only response_type=code is supported.")
        }
        guard scope.split(separator: " ").contains("openid") else {
            throw Refusal(error: "invalid_scope", description: "The scope must include openid.")
        }
        guard !state.isEmpty else {
            throw Refusal(error: "invalid_request", description: "state is required.")
        }
        guard !codeChallenge.isEmpty else {
            throw Refusal(
                error: "invalid_request",
                description: "PKCE is required: send code_challenge with code_challenge_method=S256.")
        }
        guard codeChallengeMethod == "S256" else {
            throw Refusal(error: "invalid_request", description: "Only code_challenge_method=S256 is supported.")
        }
        guard (43...128).contains(codeChallenge.count) else {
            throw Refusal(error: "invalid_request", description: "code_challenge must be a base64url SHA-256 digest.")
        }
        if let prompt, !["none", "login", "consent"].contains(prompt) {
            throw Refusal(error: "invalid_request", description: "Unsupported prompt value.")
        }
    }
}
