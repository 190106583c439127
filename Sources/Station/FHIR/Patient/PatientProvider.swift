import Foundation
import StationDomain
import Vocabulary

/// FHIR `Patient`: the partner's own patients (`Patient/<patient id>`).
struct PatientProvider: FHIRResourceProvider {
    let type = "Patient"

    var searchParameters: [FHIRSearchParameter] {
        [
            FHIRSearchParameter(
                name: "name", type: "string", documentation: "The given or family name starts with it (any case)."),
            FHIRSearchParameter(name: "family", type: "string", documentation: "The family name starts with it."),
            FHIRSearchParameter(name: "given", type: "string", documentation: "The given name starts with it."),
            FHIRSearchParameter(
                name: "birthdate", type: "date", documentation: "The date of birth, YYYY-MM-DD (eq only)."),
            FHIRSearchParameter(
                name: "identifier", type: "token",
                documentation: "The MRN: <value> or \(FHIRSystems.mrn)|<value>."),
        ]
    }

    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)? {
        guard let id = PatientID(wire: id) else { return nil }
        return try await context.store.fhirPatient(partner: context.partner, id).map(PatientResource.init)
    }

    /// By family name, given name and id; the total is counted only when the search filters (or asks only it).
    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage {
        let query = try PatientSearchParameters.query(search)
        var cursor: PageCursor?
        if let text = search.cursor {
            do {
                cursor = try PageCursor(decoding: text, kind: .patients, keyCount: 2)
            } catch {
                throw FHIRError.badRequest("_cursor is not a page token this server gave")
            }
        }
        let store = context.store
        let filtered = query != FHIRPatientQuery()
        let total =
            search.onlyCount || filtered ? try await store.countFHIRPatients(partner: context.partner, query) : nil
        if search.onlyCount { return FHIRSearchPage(resources: [], total: total, next: nil) }
        let page = try await store.fhirPatients(partner: context.partner, query, after: cursor, limit: search.count)
        return FHIRSearchPage(
            resources: page.items.map(PatientResource.init), total: total, next: page.nextCursor?.encoded)
    }
}
