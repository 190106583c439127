import Foundation
import StationDomain
import Vocabulary

/// FHIR `Organization`: the token's own partner, and no other (`Organization/<partner id>`).
struct OrganizationProvider: FHIRResourceProvider {
    let type = "Organization"

    var searchParameters: [FHIRSearchParameter] {
        [
            FHIRSearchParameter(
                name: "name", type: "string", documentation: "The partner's name starts with it (any case).")
        ]
    }

    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)? {
        guard PartnerID(wire: id) == context.partner else { return nil }
        return try await resource(context)
    }

    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage {
        var matches = try await resource(context).map { [$0] } ?? []
        for value in search.values("_id") {
            let ids = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            matches = matches.filter { ids.contains($0.id) }
        }
        for value in search.values("name") {
            let keys = value.split(separator: ",").map { SearchKey.name(String($0)) }
            matches = matches.filter { match in keys.contains { SearchKey.name(match.name).hasPrefix($0) } }
        }
        if search.onlyCount { return FHIRSearchPage(resources: [], total: matches.count, next: nil) }
        return FHIRSearchPage(resources: matches, total: matches.count, next: nil)
    }

    private func resource(_ context: FHIRContext) async throws -> OrganizationResource? {
        try await context.store.fhirOrganization(context.partner).map {
            OrganizationResource(partner: context.partner, name: $0.name)
        }
    }
}
