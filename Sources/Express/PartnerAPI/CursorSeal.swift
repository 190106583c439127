import Crypto
import Foundation
import Secrets
import Vocabulary

/// Seals Station's patient cursors (which hold the last row's family and given names) before they leave
/// Express, so the `cursor` a partner integration sends back in a URL holds no patient data. AES-GCM under a
/// key derived from Express's client secret, bound to the partner: a forged, altered or other partner's
/// cursor does not open. (Browsers never see a cursor: the pages keep them in the session, see PatientSearch.)
struct CursorSeal: Sendable {
    let key: SymmetricKey

    init(secret: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
            info: Data("express.patient-cursor.v1".utf8), outputByteCount: 32)
    }

    func seal(_ cursor: String, partner: PartnerID) throws -> String {
        let box = try AES.GCM.seal(Data(cursor.utf8), using: key, authenticating: Data(partner.wire.utf8))
        guard let combined = box.combined else { throw CocoaError(.coderInvalidValue) }
        return Secrets.base64URL(combined)
    }

    /// Station's cursor, or nil when `sealed` is not a cursor this Express made for this partner.
    func open(_ sealed: String, partner: PartnerID) -> String? {
        guard let data = Secrets.base64URLDecoded(sealed), let box = try? AES.GCM.SealedBox(combined: data),
            let opened = try? AES.GCM.open(box, using: key, authenticating: Data(partner.wire.utf8))
        else { return nil }
        return String(data: opened, encoding: .utf8)
    }
}
