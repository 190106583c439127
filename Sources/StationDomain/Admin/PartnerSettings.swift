import Foundation
import Vocabulary

/// A new partner as an operations admin names it, with the markets it may book in.
package struct PartnerSettings: Sendable, Equatable {
    package var name: String
    package var slug: String
    package var marketIDs: [MarketID]

    package init(name: String, slug: String, marketIDs: [MarketID]) {
        self.name = name
        self.slug = slug
        self.marketIDs = marketIDs
    }

    package static let slugLength = 2...40

    /// The settings as stored (name trimmed, markets once each), or every bad field at once.
    package func validated() throws(FieldErrors) -> PartnerSettings {
        var errors = FieldErrors()
        var clean = self
        clean.name = name.trimmingCharacters(in: .whitespaces)
        Validate.required(clean.name, "name", into: &errors)
        Validate.text(clean.name, "name", max: 200, into: &errors)
        if !Self.slugLength.contains(slug.utf8.count) || !slug.utf8.allSatisfy(Self.isSlugByte) {
            errors.add("slug", "must be 2 to 40 characters of a-z, 0-9 and -")
        }
        if marketIDs.isEmpty { errors.add("market_ids", "must name at least one market") }
        var seen = Set<MarketID>()
        clean.marketIDs = marketIDs.filter { seen.insert($0).inserted }
        try errors.throwIfAny()
        return clean
    }

    static func isSlugByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-")
    }
}

/// A new service line: a name people read and a short stable code.
package struct ServiceLineSettings: Sendable, Equatable {
    package var name: String
    package var code: String
    /// How long a visit of this line lasts, which the dispatch planner counts at each stop.
    package var visitMinutes: Int

    package init(name: String, code: String, visitMinutes: Int = ServiceLineSettings.defaultVisitMinutes) {
        self.name = name
        self.code = code
        self.visitMinutes = visitMinutes
    }

    /// A line made before lines had a length, or made without one.
    package static let defaultVisitMinutes = 60
    /// From ten minutes to a whole working day.
    package static let visitMinutesRange = 10...480

    static let visitMinutesMessage =
        "must be from \(visitMinutesRange.lowerBound) to \(visitMinutesRange.upperBound) minutes"

    /// A visit length, or the error for the `visit_minutes` field.
    package static func validated(visitMinutes: Int) throws(FieldErrors) -> Int {
        guard visitMinutesRange.contains(visitMinutes) else {
            var errors = FieldErrors()
            errors.add("visit_minutes", visitMinutesMessage)
            throw errors
        }
        return visitMinutes
    }

    package func validated() throws(FieldErrors) -> ServiceLineSettings {
        var errors = FieldErrors()
        var clean = self
        clean.name = name.trimmingCharacters(in: .whitespaces)
        Validate.required(clean.name, "name", into: &errors)
        Validate.text(clean.name, "name", max: 100, into: &errors)
        let bytes = Array(code.utf8)
        let lower = UInt8(ascii: "a")...UInt8(ascii: "z")
        if !PartnerSettings.slugLength.contains(bytes.count) || !lower.contains(bytes[0])
            || !bytes.allSatisfy({
                lower.contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
            })
        {
            errors.add("code", "must be 2 to 40 characters of a-z, 0-9 and _, starting with a letter")
        }
        if !Self.visitMinutesRange.contains(visitMinutes) {
            errors.add("visit_minutes", Self.visitMinutesMessage)
        }
        try errors.throwIfAny()
        return clean
    }
}

/// A day a market is closed (a holiday), market-local.
package struct Closure: Sendable, Equatable {
    package var date: LocalDate
    package var reason: String

    package init(date: LocalDate, reason: String) {
        self.date = date
        self.reason = reason
    }

    /// The closure as stored (reason trimmed), or every bad field; `today` is the market's own day.
    package func validated(today: LocalDate?) throws(FieldErrors) -> Closure {
        var errors = FieldErrors()
        var clean = self
        clean.reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        Validate.required(clean.reason, "reason", into: &errors)
        Validate.text(clean.reason, "reason", max: 200, into: &errors)
        if let today, date < today { errors.add("date", "must be today or later in the market's time zone") }
        try errors.throwIfAny()
        return clean
    }
}

/// What an operations admin changed, as `admin_changes` records it.
package enum AdminAction: String, Sendable, CaseIterable {
    case partnerCreated = "partner.created"
    case marketCreated = "market.created"
    case marketUpdated = "market.updated"
    case closureAdded = "closure.added"
    case closureRemoved = "closure.removed"
    case serviceLineCreated = "service_line.created"
    case serviceLineUpdated = "service_line.updated"
    case careTeamCreated = "care_team.created"
    case careTeamUpdated = "care_team.updated"
    case careTeamRemoved = "care_team.removed"
}
