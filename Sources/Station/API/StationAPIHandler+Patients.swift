import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    func searchPartnerPatients(_ input: Operations.SearchPartnerPatients.Input) async throws
        -> Operations.SearchPartnerPatients.Output
    {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        var errors = FieldErrors()
        Validate.text(input.query.q, "q", max: 100, into: &errors)
        if !errors.isEmpty { throw Problem.badQuery(Problem(errors).errors) }
        let query: PatientQuery
        do {
            query = try PatientQuery(input.query.q)
        } catch {
            throw Problem.badRequest(
                "Type a name, date of birth, phone number or MRN to search for.", slug: "empty-search")
        }
        let page = try await store.searchPatients(
            partner: PartnerID(try partner.requireID()), query: query,
            after: try Self.cursor(input.query.cursor, kind: .patients, keys: 2),
            limit: try Self.pageSize(input.query.limit))
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: try page.items.map(Components.Schemas.Patient.init),
                        nextCursor: page.nextCursor?.encoded))))
    }

    func getPartnerPatient(_ input: Operations.GetPartnerPatient.Input) async throws
        -> Operations.GetPartnerPatient.Output
    {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        let id = try Self.id(input.path.patientId, PatientID.self, name: "patientId")
        guard let patient = try await store.patient(id), patient.partnerID?.rawValue == partner.id else {
            throw Problem.notFound("No patient with id \(id.wire) for this partner.")
        }
        return .ok(.init(body: .json(try .init(patient))))
    }

    func getPatient(_ input: Operations.GetPatient.Input) async throws -> Operations.GetPatient.Output {
        let principal = try caller()
        let id = try Self.id(input.path.patientId, PatientID.self, name: "patientId")
        guard let patient = try await store.patient(id), principal.canReach(partner: patient.partnerID?.rawValue) else {
            throw Problem.notFound("No patient with id \(id.wire).")
        }
        return .ok(.init(body: .json(try .init(patient))))
    }

    func createPartnerPatient(_ input: Operations.CreatePartnerPatient.Input) async throws
        -> Operations.CreatePartnerPatient.Output
    {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the patient as JSON.") }
        let patient = try await createPatient(try NewPatient(body), partner: PartnerID(try partner.requireID()))
        return .created(.init(body: .json(try .init(patient))))
    }

    func createDirectPatient(_ input: Operations.CreateDirectPatient.Input) async throws
        -> Operations.CreateDirectPatient.Output
    {
        let principal = try caller()
        guard principal.partnerID == nil else {
            throw Problem.forbidden("A partner's token creates patients under /v1/partners/{partnerId}/patients.")
        }
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the patient as JSON.") }
        let patient = try await createPatient(try NewPatient(body), partner: nil)
        return .created(.init(body: .json(try .init(patient))))
    }

    private func createPatient(_ details: NewPatient, partner: PartnerID?) async throws -> Patient {
        do {
            return try await store.createPatient(partner: partner, details: details)
        } catch let errors as FieldErrors {
            throw Problem(errors)
        }
    }
}
