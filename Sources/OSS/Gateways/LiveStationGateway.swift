import Foundation
import OSSDomain
import StationAPI
import Vocabulary

/// ``StationGateway`` over Station's generated client (machine token, trace headers): the one place that turns
/// Station's wire types into OSS's and back.
struct LiveStationGateway: StationGateway {
    let client: Client

    func patient(_ id: PatientID) async throws -> PatientRecord? {
        let output = try await call { try await client.getPatient(path: .init(patientId: id.wire)) }
        guard case .ok(let ok) = output, let patient = try? ok.body.json else { return nil }
        return try PatientRecord(patient)
    }

    func patient(_ id: PatientID, of partner: PartnerID) async throws -> PatientRecord? {
        let output = try await call {
            try await client.getPartnerPatient(path: .init(partnerId: partner.wire, patientId: id.wire))
        }
        guard case .ok(let ok) = output, let patient = try? ok.body.json else { return nil }
        return try PatientRecord(patient)
    }

    func createPatient(_ patient: NewPatient, for partner: PartnerID?) async throws -> PatientRecord {
        let body = Components.Schemas.NewPatient(patient)
        if let partner {
            let output = try await call {
                try await client.createPartnerPatient(path: .init(partnerId: partner.wire), body: .json(body))
            }
            guard case .created(let ok) = output, let created = try? ok.body.json else {
                if case .unprocessableContent(let refused) = output {
                    throw Self.refusal(try? refused.body.applicationProblemJson, output)
                }
                throw Self.refusal(nil, output)
            }
            return try PatientRecord(created)
        }
        let output = try await call { try await client.createDirectPatient(body: .json(body)) }
        guard case .created(let ok) = output, let created = try? ok.body.json else {
            if case .unprocessableContent(let refused) = output {
                throw Self.refusal(try? refused.body.applicationProblemJson, output)
            }
            throw Self.refusal(nil, output)
        }
        return try PatientRecord(created)
    }

    /// A refused answer becomes a ``StationRefusal`` naming the OSS fields (Station's `address.zip` is the form's
    /// `zip`); anything else means Station could not be used just now.
    static func refusal(_ problem: Components.Schemas.Problem?, _ output: some Sendable) -> any Error {
        guard let problem, let fields = problem.errors, !fields.isEmpty else {
            return Unavailable(service: "Station", description: "Station refused to create the patient: \(output)")
        }
        var messages: [String: String] = [:]
        for field in fields {
            let name = field.field.hasPrefix("address.") ? String(field.field.dropFirst("address.".count)) : field.field
            let label = name.replacingOccurrences(of: "_", with: " ")
            messages[name] = "This \(label) \(field.message)."
        }
        return StationRefusal(
            status: 422, detail: problem.detail ?? "invalid", fields: fields.map(\.field), nextWindows: [],
            messages: messages)
    }

    func careRequests(of patients: [PatientID], cursor: String?, limit: Int) async throws -> CareRequestPage {
        let output = try await call {
            try await client.searchPatientsCareRequests(
                body: .json(.init(patientIds: patients.map(\.wire), cursor: cursor, limit: limit)))
        }
        switch output {
        case .ok(let ok):
            let page = try ok.body.json
            return CareRequestPage(items: try page.items.map(CareRequestSummary.init), nextCursor: page.nextCursor)
        case .notFound:
            return CareRequestPage(items: [], nextCursor: nil)
        case .badRequest(let refused):
            throw StationRefusal(
                status: 400, detail: (try? refused.body.applicationProblemJson.detail) ?? "bad cursor",
                fields: ["cursor"], nextWindows: [])
        default:
            throw Unavailable(service: "Station", description: "Station answered \(output)")
        }
    }

    func careRequest(_ id: CareRequestID) async throws -> CareRequestDetail? {
        let output = try await call { try await client.getCareRequest(path: .init(careRequestId: id.wire)) }
        guard case .ok(let ok) = output, let found = try? ok.body.json else { return nil }
        return try CareRequestDetail(found)
    }

    func createCareRequest(_ request: CareRequestToCreate, serviceLine: ServiceLineID) async throws -> CareRequestID {
        let output = try await call {
            try await client.createCareRequest(
                headers: .init(idempotencyKey: request.idempotencyKey.wire),
                body: .json(.init(request, serviceLine: serviceLine)))
        }
        switch output {
        case .created(let created):
            return try wireID(try created.body.json.id)
        case .conflict(let problem):
            let p = try? problem.body.applicationProblemJson
            throw StationRefusal(
                status: 409, detail: p?.detail ?? "conflict", fields: [],
                nextWindows: (p?.nextAvailableWindows ?? []).map(OpenWindow.init))
        case .unprocessableContent(let problem):
            let p = try? problem.body.applicationProblemJson
            throw StationRefusal(
                status: 422, detail: p?.detail ?? "invalid", fields: p?.errors?.map { $0.field } ?? [], nextWindows: [])
        default:
            throw Unavailable(service: "Station", description: "Station answered \(output)")
        }
    }

    func serviceLines() async throws -> [ServiceLine] {
        let output = try await call { try await client.listServiceLines() }
        guard case .ok(let ok) = output, let lines = try? ok.body.json else {
            throw Unavailable(service: "Station", description: "Station answered \(output)")
        }
        return try lines.map { ServiceLine(id: try wireID($0.id), name: $0.name) }
    }

    func markets() async throws -> [Market] {
        let output = try await call { try await client.listMarkets() }
        guard case .ok(let ok) = output, let markets = try? ok.body.json else {
            throw Unavailable(service: "Station", description: "Station answered \(output)")
        }
        return try markets.map(Market.init)
    }

    func market(servingZip zip: String) async throws -> Market? {
        let output = try await call { try await client.getMarketByZip(path: .init(zip: zip)) }
        switch output {
        case .ok(let ok): return try Market(try ok.body.json)
        case .notFound, .badRequest: return nil
        default: throw Unavailable(service: "Station", description: "Station answered \(output)")
        }
    }

    func windows(in market: MarketID, from: String, to: String, for visit: PlannedVisitPlace?) async throws
        -> [OpenWindow]
    {
        let output = try await call {
            try await client.getMarketAvailability(
                path: .init(marketId: market.wire),
                query: .init(
                    from: from, to: to, zip: visit?.zip, serviceLineId: visit?.serviceLine.wire,
                    rescheduling: visit?.rescheduling?.wire))
        }
        guard case .ok(let ok) = output, let windows = try? ok.body.json else {
            throw Unavailable(service: "Station", description: "availability refused")
        }
        return windows.map(OpenWindow.init)
    }

    private func call<T>(_ body: () async throws -> T) async throws -> T {
        try await Downstream.call("Station", body)
    }
}
