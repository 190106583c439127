import Foundation
import StationDomain
import Vocabulary

/// FHIR `Appointment`: the visit of each of the partner's care requests that has a time window or an arrival
/// estimate (`Appointment/<care request id>`).
struct AppointmentProvider: FHIRResourceProvider {
    let type = "Appointment"

    var searchParameters: [FHIRSearchParameter] {
        [
            FHIRSearchParameter(
                name: "patient", type: "reference", documentation: "The patient's visits: Patient/<id> or <id>"),
            FHIRSearchParameter(
                name: "status", type: "token",
                documentation:
                    "proposed, pending, booked, arrived, fulfilled or cancelled (comma = or); see docs/FHIR.md"),
            FHIRSearchParameter(
                name: "date", type: "date",
                documentation: "The visit's start: the arrival estimate's, else the window's (eq, gt, ge, lt, le)"),
        ]
    }

    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)? {
        try await CareRequestSearchParameters.row(id, withVisit: true, in: context).flatMap(AppointmentResource.init)
    }

    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage {
        if !search.values("subject").isEmpty {
            throw FHIRError.badRequest("Appointment is searched by patient, not subject")
        }
        var query = try CareRequestSearchParameters.query(search, in: context)
        do {
            query.statuses = try FHIRStatusSearch.appointment(search.values("status"))
        } catch {
            throw FHIRError.badRequest(
                "status \(error.code) is not an Appointment status; use \(Self.statusCodes) (comma = or)")
        }
        query.withVisit = true
        query.visitStart = try CareRequestSearchParameters.dates(search, "date")
        return try await CareRequestSearchParameters.page(query, search, in: context) { row, _ in
            AppointmentResource(row)
        }
    }

    private static let statusCodes = FHIRAppointmentStatus.allCases.map(\.rawValue).joined(separator: ", ")
}
