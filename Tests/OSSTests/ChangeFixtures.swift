import Foundation
import OSSDomain
import TestSupport
import Testing
import Vocabulary

@testable import OSS

/// A care request to change, kept by a small Station: reschedules and cancellations change it as Station would
/// (once per idempotency key), and what OSS asked is kept for the test to read.
final class ChangeWorld: @unchecked Sendable {
    private let lock = NSLock()
    private var request: CareRequestDetail
    private var keys: Set<String> = []
    private(set) var reschedules: [FakeStation.Reschedule] = []
    private(set) var cancellations: [FakeStation.Cancellation] = []

    init(_ request: CareRequestDetail) { self.request = request }

    var current: CareRequestDetail { lock.withLock { request } }

    func set(_ edit: (inout CareRequestDetail) -> Void) { lock.withLock { edit(&request) } }

    /// A reschedule that reached Station but was not answered (Station went down).
    func asked(_ r: FakeStation.Reschedule) { lock.withLock { reschedules.append(r) } }

    func reschedule(_ r: FakeStation.Reschedule) -> CareRequestDetail {
        lock.withLock {
            reschedules.append(r)
            if keys.insert(r.idempotencyKey).inserted {
                request.timeWindow = r.window
                request.calendarSequence += 1
            }
            return request
        }
    }

    func cancel(_ c: FakeStation.Cancellation) -> CareRequestDetail {
        lock.withLock {
            cancellations.append(c)
            if keys.insert(c.idempotencyKey).inserted {
                request.status = .archived
                request.changeable = false
                request.cancellation = .init(reason: c.reason, note: c.note, at: Date(), actor: c.requester.onBehalfOf)
            }
            return request
        }
    }
}

extension OSSHarness {
    static let visitAddress = PostalAddress(line1: "1 Sunrise Way", city: "Denver", state: "CO", zip: "80202")
    /// The line of the request being changed: a partner's booking, not the acute care OSS books itself.
    static let bridgeCare = ServiceLineID(wire: "51e00000-0000-4000-8000-000000000002")!

    /// Stubs Station with one care request (of `partner`, or of `patient` for a patient's own) in Denver's first
    /// window, and Policy allowing schedulers, admins and patients to change it.
    func changeWorld(partner: PartnerID? = OSSHarness.sunrise, patient: PatientID = .random()) -> ChangeWorld {
        let first = StationWorld.windows[0]
        let world = ChangeWorld(
            CareRequestDetail(
                id: .random(), patient: patient, status: .requested, market: StationWorld.denver.id,
                chiefComplaint: "Cough", visitAddress: Self.visitAddress,
                timeWindow: VisitWindow(start: first.start, end: first.end), partner: partner,
                serviceLine: Self.bridgeCare))
        station.stub { s in
            s.careRequest = { $0 == world.current.id ? world.current : nil }
            s.markets = { [StationWorld.denver] }
            s.windows = { _ in StationWorld.windows }
            s.serviceLines = { [StationWorld.acuteCare] }
            s.marketServingZip = { ["80202", "80203"].contains($0) ? StationWorld.denver : nil }
            s.reschedule = { _, r in world.reschedule(r) }
            s.cancel = { _, c in world.cancel(c) }
        }
        policy.stubMayChange { question in
            question.requestPartner == nil || question.roles.contains(where: \.canSchedule)
                ? PolicyDecision(allowed: true, id: "dec_change", reason: "may change")
                : PolicyDecision(allowed: false, id: "dec_refused", reason: "viewers cannot change")
        }
        return world
    }

    /// A partner user's browser that redeemed a change handoff for `careRequest`: the browser and the page it led to.
    func changeHandoff(
        _ intent: HandoffIntent, _ careRequest: CareRequestID, user: PartnerUser = OSSHarness.scheduler
    ) async throws -> (TestBrowser, String) {
        let handle = try #require(try await pushHandoff(user: user, intent: intent, careRequest: careRequest).1)
        let browser = try await browser(partner: user)
        return (browser, try await redeem(browser, handle))
    }
}
