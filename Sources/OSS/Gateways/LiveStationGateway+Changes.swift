import Foundation
import OSSDomain
import StationAPI
import Vocabulary

/// A partner's or patient's change to a care request they made, over Station's generated client.
extension LiveStationGateway {
    func cancel(
        _ id: CareRequestID, reason: CancellationReason, note: String?, by requester: ChangeRequester,
        idempotencyKey: String
    ) async throws -> CareRequestDetail {
        let (partner, patient) = requester.wire
        let output = try await Downstream.call("Station") {
            try await client.cancelCareRequest(
                path: .init(careRequestId: id.wire), headers: .init(idempotencyKey: idempotencyKey),
                body: .json(
                    .init(
                        reason: .init(reason), note: note, partnerId: partner, patientId: patient,
                        onBehalfOf: requester.onBehalfOf)))
        }
        switch output {
        case .ok(let ok): return try CareRequestDetail(try ok.body.json)
        case .notFound(let p): throw Self.changeRefusal(404, try? p.body.applicationProblemJson)
        case .conflict(let p): throw Self.changeRefusal(409, try? p.body.applicationProblemJson)
        case .unprocessableContent(let p): throw Self.changeRefusal(422, try? p.body.applicationProblemJson)
        default: throw Unavailable(service: "Station", description: "Station answered \(output)")
        }
    }

    func reschedule(
        _ id: CareRequestID, to window: VisitWindow, visitAddress: PostalAddress?, by requester: ChangeRequester,
        idempotencyKey: String
    ) async throws -> CareRequestDetail {
        let (partner, patient) = requester.wire
        let output = try await Downstream.call("Station") {
            try await client.rescheduleCareRequest(
                path: .init(careRequestId: id.wire), headers: .init(idempotencyKey: idempotencyKey),
                body: .json(
                    .init(
                        timeWindow: .init(start: window.start, end: window.end),
                        visitAddress: visitAddress.map(Components.Schemas.Address.init), partnerId: partner,
                        patientId: patient, onBehalfOf: requester.onBehalfOf)))
        }
        switch output {
        case .ok(let ok): return try CareRequestDetail(try ok.body.json)
        case .notFound(let p): throw Self.changeRefusal(404, try? p.body.applicationProblemJson)
        case .conflict(let p): throw Self.changeRefusal(409, try? p.body.applicationProblemJson)
        case .unprocessableContent(let p): throw Self.changeRefusal(422, try? p.body.applicationProblemJson)
        default: throw Unavailable(service: "Station", description: "Station answered \(output)")
        }
    }

    /// Station's refusal of a change, as OSS reads it: its status, type, next windows, fields and support number.
    static func changeRefusal(_ status: Int, _ problem: Components.Schemas.Problem?) -> StationRefusal {
        StationRefusal(
            status: status, detail: problem?.detail ?? problem?.title ?? "refused",
            fields: problem?.errors?.map(\.field) ?? [],
            nextWindows: (problem?.nextAvailableWindows ?? []).map(OpenWindow.init),
            messages: Dictionary(
                (problem?.errors ?? []).map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first }),
            type: problem?._type, supportPhone: problem?.supportPhone)
    }
}

extension ChangeRequester {
    /// The request's `partner_id` and `patient_id` as Station takes them: one of the two.
    var wire: (partner: String?, patient: String?) {
        switch scope {
        case .partner(let partner): (partner.wire, nil)
        case .patient(let patient): (nil, patient.wire)
        }
    }
}
