import Foundation
import Vocabulary

/// A new partner as the provider's operations admin sets it up in Express: its name and slug, the features it
/// starts with, and its first admin. Only valid input makes one.
package struct PartnerOnboarding: Sendable, Equatable {
    package var partner: PartnerID
    package var name: String
    package var slug: String
    package var flags: Set<FeatureFlag>
    package var adminEmail: String
    package var adminName: String

    /// One field that is not acceptable, named as the request names it.
    package struct FieldError: Sendable, Equatable {
        package var field: String
        package var message: String

        package init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    package struct Invalid: Error, Sendable, Equatable {
        package var errors: [FieldError]
    }

    /// Trims and lowercases what a person typed, and checks every field; phase 2 (`oss_handoff`) needs phase 1.
    package init(
        partner: PartnerID, name: String, slug: String, flags: Set<FeatureFlag>, adminEmail: String,
        adminName: String
    ) throws(Invalid) {
        self.partner = partner
        self.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        self.slug = slug.trimmingCharacters(in: .whitespaces)
        self.flags = flags
        self.adminEmail = adminEmail.trimmingCharacters(in: .whitespaces).lowercased()
        self.adminName = adminName.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [FieldError] = []
        if !(1...100).contains(self.name.count) {
            errors.append(.init(field: "name", message: "must be 1 to 100 characters"))
        }
        if !Self.isSlug(self.slug) {
            errors.append(.init(field: "slug", message: "must be 2 to 40 of a-z, 0-9 and -"))
        }
        if flags.contains(.ossHandoff), !flags.contains(.stationCareRequests) {
            errors.append(
                .init(field: "oss_handoff", message: "needs station_care_requests: online scheduling builds on it"))
        }
        if !Self.isEmail(self.adminEmail) {
            errors.append(.init(field: "first_admin.email", message: "must be an email address"))
        }
        if !(1...100).contains(self.adminName.count) {
            errors.append(.init(field: "first_admin.name", message: "must be 1 to 100 characters"))
        }
        guard errors.isEmpty else { throw Invalid(errors: errors) }
    }

    /// `a-z`, `0-9` and `-`, 2 to 40 characters: the slug Station gives the same partner.
    package static func isSlug(_ slug: String) -> Bool {
        (2...40).contains(slug.count)
            && slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func isEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !email.contains(where: \.isWhitespace)
            && email.count <= 254
    }

    /// Whether a partner already set up with these details (and this first admin) is what this asks for, so a
    /// repeated request answers as the first did.
    package func matches(name: String, slug: String, flags: Set<FeatureFlag>, adminEmail: String) -> Bool {
        self.name == name && self.slug == slug && self.flags == flags && self.adminEmail == adminEmail
    }
}
