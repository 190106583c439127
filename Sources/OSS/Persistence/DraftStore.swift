import Fluent
import Foundation
import OSSDomain
import Platform
import SQLKit
import Vocabulary

/// A draft's row could not be read as a ``Draft`` (an owner or status no draft can have).
struct UnreadableDraft: Error, CustomStringConvertible {
    var description: String
}

extension Draft.Status {
    /// The `status` column's word for this status (the care request id has its own column).
    var column: String {
        switch self {
        case .open: "open"
        case .submitting: "submitting"
        case .submitted: "submitted"
        case .cancelled: "cancelled"
        case .emergency: "emergency"
        }
    }

    init?(column: String, careRequest: UUID?) {
        switch column {
        case "open": self = .open
        case "submitting": self = .submitting
        case "submitted":
            guard let careRequest else { return nil }
            self = .submitted(CareRequestID(rawValue: careRequest))
        case "cancelled": self = .cancelled
        case "emergency": self = .emergency
        default: return nil
        }
    }
}

extension Owner {
    /// The `owner` column: the Express user id of a partner user, the account subject of a patient.
    var column: String {
        switch self {
        case .partnerUser(_, let user): user.wire
        case .patient(let account): account
        }
    }
}

extension DraftModel {
    convenience init(_ draft: Draft) {
        self.init()
        id = draft.id.rawValue
        audience = draft.audience.rawValue
        owner = draft.owner.column
        partnerID = draft.partner?.rawValue
        answers = StoredAnswers(draft.answers, completedSteps: draft.completedSteps)
        status = draft.status.column
        if case .submitted(let careRequest) = draft.status { careRequestID = careRequest.rawValue }
        returnURL = draft.returnURL
        synthetic = draft.synthetic
        createdAt = draft.createdAt
        updatedAt = draft.updatedAt
    }

    func draft() throws -> Draft {
        guard let id, let audience = Audience(rawValue: audience) else {
            throw UnreadableDraft(description: "draft without id or audience")
        }
        let owner: Owner
        switch audience {
        case .partner:
            guard let partnerID, let user = UserID(wire: self.owner) else {
                throw UnreadableDraft(description: "partner draft \(id) without its user")
            }
            owner = .partnerUser(PartnerID(rawValue: partnerID), user)
        case .direct:
            owner = .patient(account: self.owner)
        }
        guard let status = Draft.Status(column: status, careRequest: careRequestID) else {
            throw UnreadableDraft(description: "draft \(id) has status \(status)")
        }
        return Draft(
            id: DraftID(rawValue: id), audience: audience, owner: owner, answers: answers.answers, status: status,
            returnURL: returnURL, synthetic: synthetic, completedSteps: answers.completedSteps, createdAt: createdAt,
            updatedAt: updatedAt)
    }
}

extension OSSService {
    func draft(_ id: DraftID) async throws -> Draft? {
        try await DraftModel.find(id.rawValue, on: db)?.draft()
    }

    func create(_ draft: Draft) async throws {
        let row = DraftModel(draft)
        try await write { db in try await row.create(on: db) }
    }

    /// `owner`'s most recently changed open draft in the patients' app.
    func openDraft(of owner: Owner) async throws -> Draft? {
        try await DraftModel.query(on: db).filter(\.$owner == owner.column).filter(
            \.$audience == Audience.direct.rawValue
        )
        .filter(\.$status == Draft.Status.open.column).sort(\.$updatedAt, .descending).first()?.draft()
    }

    /// Saves a draft's answers only: never its status, which moves by ``move(_:from:to:)`` alone, so a stale
    /// copy of a draft can never reopen a submitted one.
    func saveAnswers(_ draft: inout Draft) async throws {
        let at = now()
        draft.updatedAt = at
        let id = draft.id.rawValue
        let answers = StoredAnswers(draft.answers, completedSteps: draft.completedSteps)
        try await write { db in
            try await DraftModel.query(on: db).filter(\.$id == id).set(\.$answers, to: answers).set(
                \.$updatedAt, to: at
            ).update()
        }
    }

    /// A submit that died half-way (a crash, a lost instance) leaves its draft `submitting`. After this long
    /// (far longer than a submit takes, and longer than Station keeps an idempotency key in flight) the draft
    /// opens again, so its owner can press Submit once more; Station's idempotency keeps it one request.
    static let staleSubmitAfter: TimeInterval = 120

    /// Reopens `draft` if a submit left it `submitting` for longer than ``staleSubmitAfter``. Conditional, so
    /// of two instances noticing at once only one reopens it.
    func reopenIfStale(_ draft: inout Draft) async throws {
        let cutoff = now().addingTimeInterval(-Self.staleSubmitAfter)
        guard draft.status == .submitting, draft.updatedAt < cutoff else { return }
        let at = now()
        let id = draft.id.rawValue
        let moved = try await write { db in
            try await db.sql.update(DraftModel.schema).set("status", to: SQLBind(Draft.Status.open.column)).set(
                "updated_at", to: SQLBind(at)
            )
            .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(Draft.Status.submitting.column))
            .where("updated_at", .lessThan, SQLBind(cutoff)).returning("id").all()
        }
        if !moved.isEmpty {
            draft.status = .open
            draft.updatedAt = at
        }
    }

    /// Moves a draft from one status to another if it is still in the first; false when it was not.
    func move(_ draft: inout Draft, from: Draft.Status, to: Draft.Status) async throws -> Bool {
        let at = now()
        let id = draft.id.rawValue
        let moved = try await write { db in
            try await db.sql.update(DraftModel.schema).set("status", to: SQLBind(to.column)).set(
                "updated_at", to: SQLBind(at)
            )
            .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(from.column)).returning("id").all()
        }
        if !moved.isEmpty { draft.status = to }
        return !moved.isEmpty
    }

    /// Completes a submitting draft with its care request and, for a partner's, queues the callback to Express in
    /// the same transaction.
    func complete(_ draft: inout Draft, careRequest: CareRequestID) async throws {
        let now = now()
        let id = draft.id
        try await write { db in
            // Station made the request, so the draft completes even if a submit slower than `staleSubmitAfter`
            // saw it reopened meanwhile: Express is told, and a later submit finds it done (once per draft key).
            guard let fresh = try await DraftModel.find(id.rawValue, on: db),
                [Draft.Status.submitting.column, Draft.Status.open.column].contains(fresh.status)
            else { return }
            fresh.status = Draft.Status.submitted(careRequest).column
            fresh.careRequestID = careRequest.rawValue
            fresh.updatedAt = now
            try await fresh.save(on: db)
            guard case .partnerUser(let partner, let user) = try fresh.draft().owner else { return }
            let payload = try CareRequestCallback(careRequest: careRequest, partner: partner, user: user)
                .outboxPayload()
            try await Outbox.enqueue(
                NewOutboxMessage(
                    destination: OSSOutbox.express, messageID: "msg_" + id.wire, orderingKey: careRequest.wire,
                    payload: Data(payload.utf8)),
                at: now, on: db)
        }
        draft.status = .submitted(careRequest)
    }
}
