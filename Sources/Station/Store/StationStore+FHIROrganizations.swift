import Fluent
import Foundation
import Vocabulary

extension StationStore {
    /// The partner as a FHIR Organization sees it: its name and slug (nil when it no longer exists).
    func fhirOrganization(_ partner: PartnerID) async throws -> (name: String, slug: String)? {
        guard let model = try await PartnerModel.find(partner.rawValue, on: db) else { return nil }
        return (model.name, model.slug)
    }
}
