import Foundation

/// The `kid` a signed token's header names (nil when the header has none or is not a JWT header).
package func keyID(ofToken token: String) -> String? {
    guard var header = token.split(separator: ".").first.map(String.init) else { return nil }
    header = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    header += String(repeating: "=", count: (4 - header.count % 4) % 4)
    guard let data = Data(base64Encoded: header),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return nil }
    return json["kid"] as? String
}
