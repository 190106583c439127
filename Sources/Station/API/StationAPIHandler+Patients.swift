import StationAPI
import Platform
import Foundation

extension StationAPIHandler {
    func searchPartnerPatients(_ input: Operations.SearchPartnerPatients.Input) async throws -> Operations.SearchPartnerPatients.Output {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        let query: PatientQuery
        do {
            query = try PatientQuery(input.query.q)
        } catch {
            throw Problem.badRequest("Type a name, date of birth, phone number or MRN to search for.", slug: "empty-search")
        }
        guard input.query.q.count <= 100 else { throw Problem.badRequest("The search text is longer than 100 characters.") }
        let page = try await store.searchPatients(
            partner: PartnerID(partner.id!), query: query,
            after: try Self.cursor(input.query.cursor, kind: .patients, keys: 2),
            limit: try Self.pageSize(input.query.limit))
        return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Patient.init),
                                           nextCursor: page.nextCursor?.encoded))))
    }

    func getPartnerPatient(_ input: Operations.GetPartnerPatient.Input) async throws -> Operations.GetPartnerPatient.Output {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        let id = try Self.id(input.path.patientId, PatientID.self, name: "patientId")
        guard let patient = try await store.patient(id), patient.partnerID?.rawValue == partner.id else {
            throw Problem.notFound("No patient with id \(input.path.patientId) for this partner.")
        }
        return .ok(.init(body: .json(.init(patient))))
    }

    func getPatient(_ input: Operations.GetPatient.Input) async throws -> Operations.GetPatient.Output {
        let principal = try caller()
        let id = try Self.id(input.path.patientId, PatientID.self, name: "patientId")
        guard let patient = try await store.patient(id), principal.canReach(partner: patient.partnerID?.rawValue) else {
            throw Problem.notFound("No patient with id \(input.path.patientId).")
        }
        return .ok(.init(body: .json(.init(patient))))
    }

    func createPartnerPatient(_ input: Operations.CreatePartnerPatient.Input) async throws -> Operations.CreatePartnerPatient.Output {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the patient as JSON.") }
        let patient = try await createPatient(NewPatient(body), partner: PartnerID(partner.id!))
        return .created(.init(body: .json(.init(patient))))
    }

    func createDirectPatient(_ input: Operations.CreateDirectPatient.Input) async throws -> Operations.CreateDirectPatient.Output {
        let principal = try caller()
        guard principal.partnerID == nil else {
            throw Problem.forbidden("A partner's token creates patients under /v1/partners/{partnerId}/patients.")
        }
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the patient as JSON.") }
        let patient = try await createPatient(NewPatient(body), partner: nil)
        return .created(.init(body: .json(.init(patient))))
    }

    private func createPatient(_ details: NewPatient, partner: PartnerID?) async throws -> Patient {
        do {
            return try await store.createPatient(partner: partner, details: details)
        } catch let errors as FieldErrors {
            throw Problem(errors)
        }
    }
}
