import Fluent
import Foundation
import OSSDomain
import SQLKit
import Vocabulary

extension HandoffModel {
    convenience init(_ handoff: Handoff) {
        self.init()
        id = handoff.id.rawValue
        fingerprint = handoff.fingerprint
        partnerID = handoff.partner.rawValue
        userID = handoff.user.wire
        patientID = handoff.patient?.rawValue
        returnURL = handoff.returnURL
        synthetic = handoff.synthetic
        intent = handoff.intent.rawValue
        careRequestID = handoff.careRequest?.rawValue
        createdAt = handoff.createdAt
        expiresAt = handoff.expiresAt
        redeemedAt = handoff.redeemedAt
        draftID = handoff.draft?.rawValue
    }

    /// The handoff, nil for a row whose user is not an Express user id or whose intent is unknown (no one can
    /// redeem it).
    var handoff: Handoff? {
        guard let id, let user = UserID(wire: userID), let intent = HandoffIntent(rawValue: intent) else { return nil }
        return Handoff(
            id: HandoffID(rawValue: id), fingerprint: fingerprint, partner: PartnerID(rawValue: partnerID), user: user,
            patient: patientID.map(PatientID.init(rawValue:)), returnURL: returnURL, synthetic: synthetic,
            intent: intent, careRequest: careRequestID.map(CareRequestID.init(rawValue:)), createdAt: createdAt,
            expiresAt: expiresAt, redeemedAt: redeemedAt,
            draft: draftID.map(DraftID.init(rawValue:)))
    }
}

extension OSSService {
    /// The handoff under `handle`, nil when there is none.
    func handoff(handle: String) async throws -> Handoff? {
        try await HandoffModel.find(Handoff.id(of: handle).rawValue, on: db)?.handoff
    }

    /// The handoff kept under `id` (a session's grant to change a care request names it), nil when there is none.
    func handoff(id: HandoffID) async throws -> Handoff? {
        try await HandoffModel.find(id.rawValue, on: db)?.handoff
    }

    /// The handoff `draft` was redeemed from, nil for a patient's draft.
    func handoff(draft: DraftID) async throws -> Handoff? {
        try await HandoffModel.query(on: db).filter(\.$draftID == draft.rawValue).first()?.handoff
    }

    func create(_ handoff: Handoff) async throws {
        let row = HandoffModel(handoff)
        try await write { db in try await row.create(on: db) }
    }

    /// Spends `handoff` on `draft` and creates the draft, in one transaction. Of two concurrent redemptions exactly
    /// one does; false for the other (whose user then lands on the winner's draft).
    func redeem(_ handoff: Handoff, into draft: Draft) async throws -> Bool {
        let now = now()
        let row = DraftModel(draft)
        return try await write { db in
            let claimed = try await db.sql.update(HandoffModel.schema)
                .set("redeemed_at", to: SQLBind(now)).set("draft_id", to: SQLBind(draft.id.rawValue))
                .where("handle_hash", .equal, SQLBind(handoff.id.rawValue)).where("draft_id", .is, SQLLiteral.null)
                .returning("handle_hash").all()
            guard !claimed.isEmpty else { return false }
            try await row.create(on: db)
            return true
        }
    }

    /// Spends a change handoff (no draft): true for the first redemption, false when it was spent already.
    func redeemChange(_ handoff: Handoff) async throws -> Bool {
        let now = now()
        return try await write { db in
            try await !db.sql.update(HandoffModel.schema)
                .set("redeemed_at", to: SQLBind(now))
                .where("handle_hash", .equal, SQLBind(handoff.id.rawValue)).where("redeemed_at", .is, SQLLiteral.null)
                .returning("handle_hash").all().isEmpty
        }
    }
}
