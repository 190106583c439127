import Foundation
import Platform
import Vapor
import Vocabulary

/// A FHIR interaction, as a SMART scope grants it and the audit records it.
enum FHIRInteraction: Sendable {
    case read, search

    var action: AuditEvent.Action { self == .read ? .read : .search }
}

/// Turns a request's bearer token into the ``FHIRContext`` a provider runs in, or refuses it: 401 without a
/// verified token, 403 for a user's token, one bound to no partner, or scopes that do not cover the interaction.
/// A refusal of a verified token is audited as `denied`.
struct FHIRAccess: Sendable {
    let verifier: TokenVerifier
    let audit: AuditLog
    let store: StationStore
    let baseURL: String

    func context(_ req: Request, type: String, interaction: FHIRInteraction, id: String? = nil) async throws
        -> FHIRContext
    {
        guard let token = req.headers.bearerAuthorization?.token else {
            throw FHIRRefusal.login("A bearer token is required: send Authorization: Bearer <access token>.")
        }
        let claims: AccessTokenClaims
        do {
            claims = try await verifier.verify(token)
        } catch .keysUnavailable {
            throw FHIRRefusal(
                status: .serviceUnavailable, code: "exception",
                diagnostics: "The identity provider's signing keys could not be fetched; try again shortly.")
        } catch {
            req.logger.info("FHIR bearer token refused", metadata: ["reason": "\(error)"])
            throw FHIRRefusal.login(
                "The bearer token is not valid here (expired, wrong audience or issuer, or bad signature).",
                error: "invalid_token")
        }
        let partner = claims.partnerID.flatMap { PartnerID(wire: $0.lowercased()) }
        let principal = Principal(
            subject: claims.sub.value, issuer: claims.iss.value, clientID: claims.clientID, scopes: claims.scopes,
            partnerID: partner?.rawValue)
        let clientID = claims.clientID ?? claims.sub.value
        func deny(_ refusal: FHIRRefusal) async throws -> FHIRRefusal {
            try await audit.record(
                AuditEvent(
                    clientID: clientID, partner: partner, action: interaction.action, resourceType: type,
                    resourceID: id.flatMap(FHIRID.valid), outcome: .denied, requestID: req.id))
            return refusal
        }
        guard principal.isMachine else {
            throw try await deny(
                .forbidden("The FHIR API takes a backend client's token (client credentials), not a user's."))
        }
        guard let partner else { throw try await deny(.forbidden("This token is bound to no partner.")) }
        guard Self.covers(claims.scopes, type: type, interaction: interaction) else {
            throw try await deny(
                .forbidden(
                    "This token's scopes do not cover \(interaction == .read ? "read" : "search") of \(type): "
                        + "it needs system/\(type).read (or system/*.read)."))
        }
        return FHIRContext(partner: partner, clientID: clientID, store: store, baseURL: baseURL, now: store.now())
    }

    /// Whether SMART system scopes grant `interaction` on `type`: `system/*.read`, `system/<Type>.read`, `.*`, or
    /// v2 letters of `cruds` (in that order) holding `r` for a read, `s` for a search (``SMARTScope``).
    static func covers(_ scopes: Set<String>, type: String, interaction: FHIRInteraction) -> Bool {
        let wanted = SMARTScope(
            context: .system, resourceType: type, permissions: [interaction == .read ? .read : .search])
        return scopes.contains { SMARTScope($0)?.covers(wanted) ?? false }
    }
}

/// FHIR's `id` syntax: `[A-Za-z0-9\-\.]{1,64}`.
enum FHIRID {
    static func valid(_ text: String) -> String? {
        guard (1...64).contains(text.count),
            text.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == ".")
            })
        else { return nil }
        return text
    }
}
