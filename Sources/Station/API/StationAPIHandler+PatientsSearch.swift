import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    /// The most patients one search names: the people one patient account schedules for.
    static let patientsPerSearch = 20

    /// `POST /v1/patients/care-requests/search`: the requests of several patients together, newest first, each
    /// patient reachable as for the per-patient list (one that is not answers 404 and lists nothing).
    func searchPatientsCareRequests(_ input: Operations.SearchPatientsCareRequests.Input) async throws
        -> Operations.SearchPatientsCareRequests.Output
    {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the search as JSON.") }
        guard (1...Self.patientsPerSearch).contains(body.patientIds.count) else {
            throw Problem.validation([
                .init(field: "patient_ids", message: "must name 1 to \(Self.patientsPerSearch) patients")
            ])
        }
        var patients: [PatientID] = []
        for raw in body.patientIds {
            let id = try Self.id(raw, PatientID.self, name: "patient_ids")
            if !patients.contains(id) { patients.append(id) }
        }
        for id in patients {
            guard let patient = try await store.patient(id), principal.canReach(partner: patient.partnerID?.rawValue)
            else { throw Problem.notFound("No patient with id \(id.wire).") }
        }
        let page = try await store.listCareRequests(
            .patients(patients), after: try Self.cursor(body.cursor, kind: .careRequests, keys: 1),
            limit: try Self.pageSize(body.limit))
        return .ok(.init(body: .json(try .init(page))))
    }
}
