import Foundation
import OSSDomain
import Vocabulary

@testable import OSS

/// A small Station for flows that go all the way: Denver visits 80202 and 80203 with open windows tomorrow, new
/// patients and care requests are kept (one request per idempotency key, as Station does), and a patient's
/// requests read back. Stubbed onto a ``FakeStation`` by ``OSSHarness/stationSchedules()``.
final class StationWorld: @unchecked Sendable {
    static let denver = Market(
        id: MarketID(wire: "3a000000-0000-4000-8000-000000000001")!, name: "Denver", timeZone: "America/Denver")
    static let acuteCare = ServiceLine(
        id: ServiceLineID(wire: "51e00000-0000-4000-8000-000000000001")!, name: "Acute care")

    /// Three two-hour windows tomorrow (UTC), each with room for two visits.
    static let windows: [OpenWindow] = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let tomorrow = calendar.startOfDay(for: Date().addingTimeInterval(86_400))
        return [16, 18, 20].map { hour in
            let start = tomorrow.addingTimeInterval(Double(hour) * 3600)
            return OpenWindow(start: start, end: start.addingTimeInterval(7200), remaining: 2)
        }
    }()

    private let lock = NSLock()
    private var patients: [PatientID: PatientRecord] = [:]
    private var requests: [DraftID: (id: CareRequestID, request: CareRequestToCreate, serviceLine: ServiceLineID)] = [:]

    func createPatient(_ new: NewPatient, partner: PartnerID?) -> PatientRecord {
        let record = PatientRecord(
            id: .random(), partner: partner, givenName: new.givenName, familyName: new.familyName,
            dateOfBirth: new.dateOfBirth, address: new.address, email: new.email)
        lock.withLock { patients[record.id] = record }
        return record
    }

    func patient(_ id: PatientID) -> PatientRecord? { lock.withLock { patients[id] } }

    func createCareRequest(_ request: CareRequestToCreate, serviceLine: ServiceLineID) -> CareRequestID {
        lock.withLock {
            if let made = requests[request.idempotencyKey] { return made.id }
            let id = CareRequestID.random()
            requests[request.idempotencyKey] = (id, request, serviceLine)
            return id
        }
    }

    /// The care requests made, one per draft.
    var made: [(id: CareRequestID, request: CareRequestToCreate, serviceLine: ServiceLineID)] {
        lock.withLock { Array(requests.values) }
    }

    /// The requests made for any of `patients`.
    func summaries(of patients: [PatientID]) -> [CareRequestSummary] {
        made.filter { patients.contains($0.request.patient) }.map {
            CareRequestSummary(
                id: $0.id, status: status($0.request), market: Self.denver.id, createdAt: Date(),
                timeWindow: $0.request.timeWindow.map { VisitWindow(start: $0.start, end: $0.end) },
                patient: $0.request.patient)
        }
    }

    func detail(_ id: CareRequestID) -> CareRequestDetail? {
        made.first { $0.id == id }.map {
            CareRequestDetail(
                id: $0.id, patient: $0.request.patient, status: status($0.request), market: Self.denver.id,
                chiefComplaint: $0.request.chiefComplaint, visitAddress: PostalAddress($0.request.visitAddress),
                timeWindow: $0.request.timeWindow.map { VisitWindow(start: $0.start, end: $0.end) })
        }
    }

    private func status(_ request: CareRequestToCreate) -> CareRequestStatus {
        request.screening.outcome == .nurseTriage ? .pendingTriage : .requested
    }
}

extension OSSHarness {
    /// Stubs Station as the whole flow needs it (see ``StationWorld``) and returns the world to read back from.
    @discardableResult
    func stationSchedules() -> StationWorld {
        let world = StationWorld()
        station.stub { s in
            s.marketServingZip = { ["80202", "80203"].contains($0) ? StationWorld.denver : nil }
            s.windows = { _ in StationWorld.windows }
            s.serviceLines = { [StationWorld.acuteCare] }
            s.markets = { [StationWorld.denver] }
            s.createPatient = { new, partner in world.createPatient(new, partner: partner) }
            s.createCareRequest = { request, serviceLine in world.createCareRequest(request, serviceLine: serviceLine) }
            s.careRequests = { patients, _, _ in CareRequestPage(items: world.summaries(of: patients), nextCursor: nil)
            }
            s.careRequest = { world.detail($0) }
            s.patient = { world.patient($0) }
        }
        return world
    }
}
