import Foundation

/// When an access token from our own token endpoint expires: its `exp` claim, read without verifying (the token
/// came straight from the identity provider over the back channel, and only Station, which verifies it, trusts it).
enum AccessTokenExpiry {
    static func read(_ token: String) -> Date? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        struct Claims: Decodable { var exp: Double? }
        guard let data = Data(base64Encoded: base64), let exp = try? JSONDecoder().decode(Claims.self, from: data).exp
        else { return nil }
        return Date(timeIntervalSince1970: exp)
    }
}
