import Foundation
import StationDomain
import TestSupport
import Testing
import Vocabulary

@testable import Station

/// A partner of its own ("Test Health", booking in Denver) whose care requests the FHIR care-request tests make
/// through the store, a minute apart on a test clock, and read as an EHR bound to that partner would.
struct FHIRCareRequestFixture {
    let station: StationHarness
    let clock: TestClock
    let partner: PartnerID
    var store: StationStore { StationApp.store(station.app, now: { [clock] in clock.now }) }

    static let base = "http://localhost:8082/fhir/r4"

    static func with(_ body: (FHIRCareRequestFixture) async throws -> Void) async throws {
        let clock = TestClock()
        try await StationHarness.with(now: { clock.now }) { station in
            let partner = PartnerID.random()
            _ = try await StationApp.store(station.app).createPartner(
                PartnerSettings(name: "Test Health", slug: "test-health", marketIDs: [DemoData.denver]), id: partner,
                actor: "test")
            try await body(FHIRCareRequestFixture(station: station, clock: clock, partner: partner))
        }
    }

    func context(_ partner: PartnerID? = nil) -> FHIRContext {
        FHIRContext(
            partner: partner ?? self.partner, clientID: "ehr-test", store: store, baseURL: Self.base, now: clock.now)
    }

    func patient(_ given: String) async throws -> PatientID {
        try await store.createPatient(
            partner: partner,
            details: NewPatient(givenName: given, familyName: "Fhirtest", dateOfBirth: "1940-02-03", sex: .female)
        ).id
    }

    /// A new request of `patient`'s; the clock then moves on a minute, so that each is newer than the last.
    func request(
        for patient: PatientID, window: DateInterval? = nil, source: CareRequestSource = .express,
        createdBy: String? = "user-1", complaint: String = "Fever and cough"
    ) async throws -> CareRequestID {
        let new = NewCareRequest(
            partnerID: partner, patientID: patient, serviceLineID: DemoData.acuteCare, source: source,
            chiefComplaint: complaint,
            visitAddress: Address(line1: "1600 Larimer St", city: "Denver", state: "CO", zip: "80202"),
            requester: Person(name: "Pat Scheduler", phone: "303-555-0199"),
            screening: Screening(
                questionnaireVersion: "2024-1", answers: [:], outcome: window == nil ? .nurseTriage : .selfSchedule,
                reasonCodes: []),
            timeWindow: window, createdByUserID: createdBy)
        let created = try await store.createCareRequest(
            new, caller: "test", idempotencyKey: UUID().uuidString, requestHash: UUID().uuidString)
        clock.advance(60)
        return try created.record.model.domain().id
    }

    /// Moves the request along each status in turn (scheduling with `eta`).
    func move(_ id: CareRequestID, through statuses: [CareRequestStatus], eta: DateInterval? = nil) async throws {
        for status in statuses {
            _ = try await store.changeStatus(
                id, to: status, actor: "dispatcher", reason: status == .archived ? "Not needed" : nil,
                eta: status == .scheduled ? eta : nil)
            clock.advance(1)
        }
    }

    /// A published Denver window nobody booked yet, `skip` such windows later.
    func window(skip: Int = 0) async throws -> DateInterval {
        let (start, end) = try await station.freeWindow(of: DemoData.denver, skip: skip)
        return DateInterval(start: start, end: end)
    }

    func search(
        _ provider: some FHIRResourceProvider, _ parameters: [(String, String)] = [], count: Int = 50,
        cursor: String? = nil, onlyCount: Bool = false, as partner: PartnerID? = nil
    ) async throws -> FHIRSearchPage {
        try await provider.search(
            FHIRSearch(
                parameters: parameters.map { (name: $0.0, value: $0.1) }, count: count, cursor: cursor,
                onlyCount: onlyCount),
            in: context(partner))
    }

    /// The ids of a search's resources, in order.
    func ids(
        _ provider: some FHIRResourceProvider, _ parameters: [(String, String)] = [], as partner: PartnerID? = nil
    ) async throws -> [String] {
        try await search(provider, parameters, as: partner).resources.map(\.id)
    }

    /// The resource as its JSON object.
    static func json(_ resource: any FHIRResource) throws -> [String: Any] {
        let data = try JSONEncoder().encode(resource)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The value at a path of dictionary keys and array indexes (`["code", "coding", 0, "code"]`).
    static func value(_ object: Any?, _ path: [Any]) -> Any? {
        path.reduce(object) { current, step in
            if let key = step as? String { return (current as? [String: Any])?[key] }
            if let index = step as? Int, let array = current as? [Any], array.indices.contains(index) {
                return array[index]
            }
            return nil
        }
    }
}
