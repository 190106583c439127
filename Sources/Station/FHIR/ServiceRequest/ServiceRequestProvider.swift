import Foundation
import StationDomain
import Vocabulary

/// FHIR `ServiceRequest`: the partner's care requests (`ServiceRequest/<care request id>`).
struct ServiceRequestProvider: FHIRResourceProvider {
    let type = "ServiceRequest"

    var searchParameters: [FHIRSearchParameter] {
        [
            FHIRSearchParameter(
                name: "patient", type: "reference", documentation: "The patient's requests: Patient/<id> or <id>"),
            FHIRSearchParameter(name: "subject", type: "reference", documentation: "The same as patient"),
            FHIRSearchParameter(
                name: "status", type: "token",
                documentation: "active, completed or revoked (comma = or); see the status mapping in docs/FHIR.md"),
            FHIRSearchParameter(
                name: "authored", type: "date", documentation: "When the request was made (eq, gt, ge, lt, le)"),
            FHIRSearchParameter(
                name: "_lastUpdated", type: "date", documentation: "When the request last changed (eq, gt, ge, lt, le)"),
        ]
    }

    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)? {
        guard let row = try await CareRequestSearchParameters.row(id, withVisit: false, in: context) else { return nil }
        return ServiceRequestResource(
            row, partner: context.partner, partnerName: try await CareRequestSearchParameters.partnerName(context))
    }

    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage {
        var query = try CareRequestSearchParameters.query(search, in: context)
        do {
            query.statuses = try FHIRStatusSearch.serviceRequest(search.values("status"))
        } catch {
            throw FHIRError.badRequest(
                "status \(error.code) is not a ServiceRequest status; use \(Self.statusCodes) (comma = or)")
        }
        query.created = try CareRequestSearchParameters.dates(search, "authored")
        query.updated = try CareRequestSearchParameters.dates(search, "_lastUpdated")
        return try await CareRequestSearchParameters.page(query, search, in: context) { row, name in
            ServiceRequestResource(row, partner: context.partner, partnerName: name)
        }
    }

    private static let statusCodes = FHIRServiceRequestStatus.allCases.map(\.rawValue).joined(separator: ", ")
}
