import Foundation
import IdentityDomain

extension AuthorizationRequest {
    /// The request as a query string, so that "Forgot password?" and "Create an account" lead back to the app's
    /// sign-in. It holds no personal data: a client, its redirect URI, state, nonce and PKCE challenge.
    var query: String {
        let pairs: [(String, String?)] = [
            ("client_id", clientID), ("redirect_uri", redirectURI), ("response_type", responseType),
            ("scope", scope), ("state", state), ("nonce", nonce), ("code_challenge", codeChallenge),
            ("code_challenge_method", codeChallengeMethod),
        ]
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return pairs.compactMap { name, value in
            guard let value, !value.isEmpty else { return nil }
            return "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }

    /// Whether a page was opened from an app's sign-in (rather than typed in or followed from an email).
    var isPresent: Bool { !clientID.isEmpty }

    /// Reads a query string written by ``query``.
    init(query: String) {
        let items = URLComponents(string: "?" + query)?.queryItems ?? []
        self = OIDCController.authorizationRequest { name in items.first { $0.name == name }?.value }
    }
}
