import Foundation
import Platform
import Vapor

/// Known devices: a browser that signed in to an account keeps a signed cookie naming that account (its email's
/// hash, never the email), and its later password attempts for that account are not held by the account's count
/// from anywhere. Someone guessing from elsewhere can spend that count, but cannot keep the owner's own browser out;
/// the owner's browser still has its own count per email and client address (OWASP's device cookies).
extension OIDCController {
    static func deviceCookie(_ tenant: Tenant) -> String { "idp_device_\(tenant.rawValue)" }
    /// Ninety days, renewed at every sign-in.
    static let knownDeviceLifetime = 90 * 86_400

    /// The cookie's value for `email` of `tenant`: signed with a key derived from Identity's sealing key.
    func deviceToken(tenant: Tenant, email: String) -> String {
        Secrets.signedToken(
            Self.devicePayload(tenant: tenant, email: email), secret: deviceSecret, purpose: "known-device")
    }

    /// Whether this browser signed in to `email` of `tenant` before.
    func knownDevice(_ req: Request, tenant: Tenant, email: String) -> Bool {
        guard let cookie = req.cookies[Self.deviceCookie(tenant)]?.string,
            let payload = Secrets.verifiedPayload(cookie, secret: deviceSecret, purpose: "known-device")
        else { return false }
        return Secrets.constantTimeEqual(payload, Self.devicePayload(tenant: tenant, email: email))
    }

    static func devicePayload(tenant: Tenant, email: String) -> String {
        tenant.rawValue + ":" + Secrets.sha256Hex(email.lowercased().trimmingCharacters(in: .whitespaces))
    }

    /// The sealing key's bytes as hex (HKDF separates this purpose from sealing).
    private var deviceSecret: String { Secrets.hex(service.sealing.bytes) }
}
