import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

// A partner's or patient's own changes (through OSS) and a partner's search of its requests (issue 15).
extension StationAPIHandler {
    func cancelCareRequest(_ input: Operations.CancelCareRequest.Input) async throws
        -> Operations.CancelCareRequest.Output
    {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the cancellation as JSON.") }
        let id = try Self.id(input.path.careRequestId, CareRequestID.self, name: "careRequestId")
        let change = RequesterChange.cancel(try CancellationReason(mapping: body.reason.rawValue), note: body.note)
        let record = try await applying(
            change, to: id, principal: principal,
            who: .init(partnerID: body.partnerId, patientID: body.patientId, onBehalfOf: body.onBehalfOf),
            key: input.headers.idempotencyKey, hash: try Self.hash("cancel \(id.wire)", body))
        return .ok(.init(body: .json(try .init(record))))
    }

    func rescheduleCareRequest(_ input: Operations.RescheduleCareRequest.Input) async throws
        -> Operations.RescheduleCareRequest.Output
    {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the new window as JSON.") }
        let id = try Self.id(input.path.careRequestId, CareRequestID.self, name: "careRequestId")
        let change = RequesterChange.reschedule(
            to: try DateInterval(validating: body.timeWindow, field: "time_window"),
            visitAddress: body.visitAddress.map(Address.init))
        let record = try await applying(
            change, to: id, principal: principal,
            who: .init(partnerID: body.partnerId, patientID: body.patientId, onBehalfOf: body.onBehalfOf),
            key: input.headers.idempotencyKey, hash: try Self.hash("reschedule \(id.wire)", body))
        return .ok(.init(body: .json(try .init(record))))
    }

    func searchPartnerCareRequests(_ input: Operations.SearchPartnerCareRequests.Input) async throws
        -> Operations.SearchPartnerCareRequests.Output
    {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the search as JSON.") }
        let search = try CareRequestSearch(body)
        do {
            try search.validate()
        } catch {
            throw Problem(error)
        }
        let page = try await store.listCareRequests(
            .search(PartnerID(try partner.requireID()), search),
            after: try Self.cursor(body.cursor, kind: .careRequests, keys: 1), limit: try Self.pageSize(body.limit))
        return .ok(.init(body: .json(try .init(page))))
    }

    /// Who a change is for, as its body names them.
    struct ChangeRequester {
        var partnerID: String?
        var patientID: String?
        var onBehalfOf: String?
    }

    /// Checks who may change the request and runs the change; a closed change answers with the number to call.
    private func applying(
        _ change: RequesterChange, to id: CareRequestID, principal: Principal, who: ChangeRequester, key: String,
        hash: String
    ) async throws -> CareRequestRecord {
        let key = try Self.idempotencyKey(key)
        var errors = FieldErrors()
        Validate.text(who.onBehalfOf, "on_behalf_of", max: 100, into: &errors)
        try errors.throwIfAny()
        let partner = try who.partnerID.map { try Self.id($0, PartnerID.self, name: "partner_id") }
        let patient = try who.patientID.map { try Self.id($0, PatientID.self, name: "patient_id") }
        // A partner's token acts for its own partner only; an unknown or foreign request looks the same (404).
        let scope: ChangeScope
        if let acting = partner ?? principal.partnerID.map({ PartnerID($0) }) {
            guard principal.canReach(partner: acting.rawValue) else {
                throw Problem.notFound("No care request with id \(id.wire).")
            }
            scope = .partner(acting, patient: patient)
        } else if let patient {
            scope = .patient(patient)
        } else {
            throw Problem.validation([
                .init(field: "partner_id", message: "or patient_id is required: whose request is it?")
            ])
        }
        // A machine caller (OSS) names the person it acts for; a user's own token speaks for itself.
        var actor = Self.actor(principal)
        if principal.isMachine, let onBehalf = who.onBehalfOf?.trimmingCharacters(in: .whitespaces), !onBehalf.isEmpty {
            actor = onBehalf
        }
        do {
            return try await store.change(
                id, change, scope: scope, actor: actor, caller: principal.callerKey, idempotencyKey: key,
                requestHash: hash
            ).record
        } catch StationError.changeClosed(let closed) {
            throw Problem.changeClosed(closed, supportPhone: supportPhone)
        } catch StationError.notFound {
            throw Problem.notFound("No care request with id \(id.wire).")
        }
    }
}
