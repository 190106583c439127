import Foundation
import Vocabulary

/// What a partner looks for in its care requests: every filter given must match.
package struct CareRequestSearch: Sendable, Equatable {
    package var phase: CareRequestPhase?
    /// Any of these statuses; empty for every status.
    package var statuses: Set<CareRequestStatus>
    package var market: MarketID?
    /// Made at or after this instant.
    package var createdFrom: Date?
    /// Made before this instant.
    package var createdBefore: Date?
    /// The calling system's user who made the request (Express's `care_request_users`).
    package var createdBy: String?
    /// The patient's name as typed; see ``nameWords``.
    package var patientName: String?

    package init(
        phase: CareRequestPhase? = nil, statuses: Set<CareRequestStatus> = [], market: MarketID? = nil,
        createdFrom: Date? = nil, createdBefore: Date? = nil, createdBy: String? = nil, patientName: String? = nil
    ) {
        self.phase = phase
        self.statuses = statuses
        self.market = market
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.createdBy = createdBy
        self.patientName = patientName
    }

    /// The words of the patient's name searched for, each as a search key (case, accents and punctuation
    /// folded away): every one must begin the patient's given or family name.
    package var nameWords: [String] {
        (patientName ?? "").split(whereSeparator: { $0.isWhitespace || $0 == "," })
            .map { SearchKey.name(String($0)) }.filter { !$0.isEmpty }
    }

    /// The whole name as one key ("Mary Ann" → "maryann"), which may begin the patient's given + family name
    /// where a word alone begins neither (a given name of two words).
    package var nameKey: String { SearchKey.name(patientName ?? "") }

    package func validate() throws(FieldErrors) {
        var errors = FieldErrors()
        if let createdFrom, let createdBefore, createdFrom >= createdBefore {
            errors.add("created_before", "must be after created_from")
        }
        Validate.text(createdBy, "created_by_user_id", max: 100, into: &errors)
        Validate.text(patientName, "patient_name", max: 100, into: &errors)
        if let patientName, !patientName.trimmingCharacters(in: .whitespaces).isEmpty, nameWords.isEmpty {
            errors.add("patient_name", "must hold a letter or a digit of the patient's name")
        }
        if let phase, !statuses.isEmpty, !statuses.contains(where: { $0.phase == phase }) {
            errors.add("statuses", "holds no status of the \(phase.rawValue) phase: nothing could match")
        }
        try errors.throwIfAny()
    }
}
