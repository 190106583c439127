import Foundation
import Vocabulary

/// The "New partner" form as typed: kept whole so a refused form comes back with everything in it.
package struct PartnerForm: Sendable, Equatable, Codable {
    package var name: String
    /// Empty means "make one from the name".
    package var slug: String
    package var marketIDs: [String]
    package var stationCareRequests: Bool
    package var ossHandoff: Bool
    package var adminEmail: String
    package var adminName: String

    package init(
        name: String = "", slug: String = "", marketIDs: [String] = [], stationCareRequests: Bool = true,
        ossHandoff: Bool = false, adminEmail: String = "", adminName: String = ""
    ) {
        self.name = name
        self.slug = slug
        self.marketIDs = marketIDs
        self.stationCareRequests = stationCareRequests
        self.ossHandoff = ossHandoff
        self.adminEmail = adminEmail
        self.adminName = adminName
    }

    /// The form's field names, which are also the names Station and Express use for them.
    package enum Field {
        package static let name = "name"
        package static let slug = "slug"
        package static let marketIDs = "market_ids"
        package static let stationCareRequests = "station_care_requests"
        package static let ossHandoff = "oss_handoff"
        package static let adminEmail = "admin_email"
        package static let adminName = "admin_name"
        package static let all: Set<String> = [
            name, slug, marketIDs, stationCareRequests, ossHandoff, adminEmail, adminName,
        ]
        /// Express names the first admin's fields inside `first_admin`.
        package static let renamed = ["first_admin.email": adminEmail, "first_admin.name": adminName]
    }

    /// The new partner, or every reason it cannot be created. `markets` are those that exist: a partner books
    /// only in markets of the provider.
    package func validated(markets: Set<MarketID>) throws(FormErrors) -> NewPartner {
        var errors = FormErrors()
        let name = FormText.line(
            FormText.trimmed(self.name), Field.name, label: "the partner's name", max: 100, into: &errors)
        let typedSlug = FormText.trimmed(slug)
        let slug = typedSlug.isEmpty ? Slug.suggested(from: name ?? "") : typedSlug
        if Slug(slug) == nil, !(typedSlug.isEmpty && name == nil) {
            errors.add(
                Field.slug,
                typedSlug.isEmpty
                    ? "Enter a short name for addresses: 2 to 40 lowercase letters (a–z), digits and hyphens."
                    : "Use 2 to 40 lowercase letters (a–z), digits and hyphens, starting and ending with a letter or digit."
            )
        }
        let chosen = marketIDs.map { MarketID(wire: $0) }
        if chosen.isEmpty {
            errors.add(Field.marketIDs, "Choose at least one market the partner may book in.")
        } else if chosen.contains(where: { $0.map { !markets.contains($0) } ?? true }) {
            errors.add(Field.marketIDs, "Choose markets from the list.")
        }
        let onboarding = self.onboarding(into: &errors)
        try errors.throwIfAny()
        guard let name, let slug = Slug(slug), let onboarding else { throw errors }
        var seen = Set<MarketID>()
        return NewPartner(
            name: name, slug: slug, markets: chosen.compactMap { $0 }.filter { seen.insert($0).inserted },
            phases: onboarding.phases, firstAdmin: onboarding.firstAdmin)
    }

    /// Express's half alone (the phases and the first admin), for a partner Station already has.
    package func validatedOnboarding() throws(FormErrors) -> (phases: Phases, firstAdmin: FirstAdmin) {
        var errors = FormErrors()
        let onboarding = onboarding(into: &errors)
        try errors.throwIfAny()
        guard let onboarding else { throw errors }
        return onboarding
    }

    private func onboarding(into errors: inout FormErrors) -> (phases: Phases, firstAdmin: FirstAdmin)? {
        if ossHandoff && !stationCareRequests {
            errors.add(
                Field.ossHandoff,
                "Online scheduling (phase 2) needs care requests from Station (phase 1): turn on both, or neither.")
        }
        let email = FormText.email(FormText.trimmed(adminEmail), Field.adminEmail, into: &errors)
        let adminName = FormText.line(
            FormText.trimmed(self.adminName), Field.adminName, label: "the first admin's name", max: 100,
            into: &errors)
        guard let email, let adminName, !(ossHandoff && !stationCareRequests) else { return nil }
        return (
            Phases(stationCareRequests: stationCareRequests, ossHandoff: ossHandoff),
            FirstAdmin(email: email, name: adminName)
        )
    }
}

/// A partner as operations creates it: in Station (name, slug, markets), then in Express (phases, first admin).
package struct NewPartner: Sendable, Equatable {
    package var name: String
    package var slug: Slug
    package var markets: [MarketID]
    package var phases: Phases
    package var firstAdmin: FirstAdmin
}

/// The partner's rollout: phase 1 takes care requests from Station, phase 2 adds online scheduling in OSS.
package struct Phases: Sendable, Equatable {
    package var stationCareRequests: Bool
    package var ossHandoff: Bool

    package init(stationCareRequests: Bool, ossHandoff: Bool) {
        self.stationCareRequests = stationCareRequests
        self.ossHandoff = ossHandoff
    }
}

/// The partner's first Express admin, who is invited to choose a password.
package struct FirstAdmin: Sendable, Equatable {
    package var email: String
    package var name: String

    package init(email: String, name: String) {
        self.email = email
        self.name = name
    }
}
