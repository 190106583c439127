import Foundation
import OSSDomain
import TestSupport
import Vocabulary

@testable import OSS

/// Station for OSS's tests: each call answers with what the test stubbed, and a call it did not stub fails the
/// test. What OSS asked to create is kept for the test to read.
final class FakeStation: StationGateway, @unchecked Sendable {
    struct Stubs: Sendable {
        var patient: (@Sendable (PatientID) async throws -> PatientRecord?)?
        var partnerPatient: (@Sendable (PatientID, PartnerID) async throws -> PatientRecord?)?
        var createPatient: (@Sendable (NewPatient, PartnerID?) async throws -> PatientRecord)?
        var careRequests: (@Sendable ([PatientID], String?, Int) async throws -> CareRequestPage)?
        var careRequest: (@Sendable (CareRequestID) async throws -> CareRequestDetail?)?
        var createCareRequest: (@Sendable (CareRequestToCreate, ServiceLineID) async throws -> CareRequestID)?
        var serviceLines: (@Sendable () async throws -> [ServiceLine])?
        var markets: (@Sendable () async throws -> [Market])?
        var marketServingZip: (@Sendable (String) async throws -> Market?)?
        var windows: (@Sendable (MarketID) async throws -> [OpenWindow])?
        var cancel: (@Sendable (CareRequestID, Cancellation) async throws -> CareRequestDetail)?
        var reschedule: (@Sendable (CareRequestID, Reschedule) async throws -> CareRequestDetail)?
    }

    /// A cancellation OSS asked for, as it asked.
    struct Cancellation: Equatable, Sendable {
        var reason: CancellationReason
        var note: String?
        var requester: ChangeRequester
        var idempotencyKey: String
    }

    /// A reschedule OSS asked for, as it asked.
    struct Reschedule: Equatable, Sendable {
        var window: VisitWindow
        var visitAddress: PostalAddress?
        var requester: ChangeRequester
        var idempotencyKey: String
    }

    private let lock = NSLock()
    private var stubs = Stubs()
    private var requests: [(request: CareRequestToCreate, serviceLine: ServiceLineID)] = []
    private var windowQueries: [WindowQuery] = []
    private let unexpected: UnexpectedCalls

    init(_ unexpected: UnexpectedCalls) { self.unexpected = unexpected }

    func stub(_ edit: (inout Stubs) -> Void) { lock.withLock { edit(&stubs) } }

    /// One question OSS asked about a market's windows: the days (`yyyy-MM-dd`, market-local), both included.
    struct WindowQuery: Equatable, Sendable {
        var market: MarketID
        var from: String
        var to: String
        /// The visit the windows were asked for (its ZIP code and service line).
        var visit: PlannedVisitPlace? = nil
    }

    /// Every range of windows OSS asked for, in order.
    var windowsAsked: [WindowQuery] { lock.withLock { windowQueries } }

    /// Every care request OSS asked Station to create, in order (retries included).
    var createRequests: [(request: CareRequestToCreate, serviceLine: ServiceLineID)] { lock.withLock { requests } }

    private func stubbed<T>(_ call: String, _ path: KeyPath<Stubs, T?>) throws -> T {
        guard let stub = lock.withLock({ stubs[keyPath: path] }) else {
            unexpected.record("Station.\(call)")
            throw notStubbed("Station", call)
        }
        return stub
    }

    func patient(_ id: PatientID) async throws -> PatientRecord? {
        try await stubbed("patient(\(id.wire))", \.patient)(id)
    }

    func patient(_ id: PatientID, of partner: PartnerID) async throws -> PatientRecord? {
        try await stubbed("patient(\(id.wire), of: \(partner.wire))", \.partnerPatient)(id, partner)
    }

    func createPatient(_ patient: NewPatient, for partner: PartnerID?) async throws -> PatientRecord {
        try await stubbed("createPatient", \.createPatient)(patient, partner)
    }

    func careRequests(of patients: [PatientID], cursor: String?, limit: Int) async throws -> CareRequestPage {
        try await stubbed("careRequests(of: \(patients.map(\.wire)))", \.careRequests)(patients, cursor, limit)
    }

    func careRequest(_ id: CareRequestID) async throws -> CareRequestDetail? {
        try await stubbed("careRequest(\(id.wire))", \.careRequest)(id)
    }

    func createCareRequest(_ request: CareRequestToCreate, serviceLine: ServiceLineID) async throws -> CareRequestID {
        let stub = try stubbed("createCareRequest", \.createCareRequest)
        lock.withLock { requests.append((request, serviceLine)) }
        return try await stub(request, serviceLine)
    }

    func serviceLines() async throws -> [ServiceLine] {
        try await stubbed("serviceLines", \.serviceLines)()
    }

    func markets() async throws -> [Market] {
        try await stubbed("markets", \.markets)()
    }

    func market(servingZip zip: String) async throws -> Market? {
        try await stubbed("market(servingZip: \(zip))", \.marketServingZip)(zip)
    }

    func windows(in market: MarketID, from: String, to: String, for visit: PlannedVisitPlace?) async throws
        -> [OpenWindow]
    {
        let stub = try stubbed("windows(in: \(market.wire))", \.windows)
        lock.withLock { windowQueries.append(WindowQuery(market: market, from: from, to: to, visit: visit)) }
        return try await stub(market)
    }

    func cancel(
        _ id: CareRequestID, reason: CancellationReason, note: String?, by requester: ChangeRequester,
        idempotencyKey: String
    ) async throws -> CareRequestDetail {
        try await stubbed("cancel(\(id.wire))", \.cancel)(
            id, Cancellation(reason: reason, note: note, requester: requester, idempotencyKey: idempotencyKey))
    }

    func reschedule(
        _ id: CareRequestID, to window: VisitWindow, visitAddress: PostalAddress?, by requester: ChangeRequester,
        idempotencyKey: String
    ) async throws -> CareRequestDetail {
        try await stubbed("reschedule(\(id.wire))", \.reschedule)(
            id,
            Reschedule(window: window, visitAddress: visitAddress, requester: requester, idempotencyKey: idempotencyKey)
        )
    }
}
