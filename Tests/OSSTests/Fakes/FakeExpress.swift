import Foundation
import TestSupport
import Vocabulary

@testable import OSS

/// Express for OSS's tests: each user's standing and the callback delivery answer as the test stubbed them; a
/// user or a delivery nobody stubbed fails the test.
final class FakeExpress: ExpressGateway, @unchecked Sendable {
    private let lock = NSLock()
    private var standings: [String: PartnerUserStanding] = [:]
    private var delivery: (@Sendable (CareRequestCallback, String) async throws -> Void)?
    private var delivered: [(callback: CareRequestCallback, webhookID: String)] = []
    private let unexpected: UnexpectedCalls

    init(_ unexpected: UnexpectedCalls) { self.unexpected = unexpected }

    func stubStanding(_ email: String, _ standing: PartnerUserStanding) {
        lock.withLock { standings[email] = standing }
    }

    /// How Express answers a callback: return to accept it, throw to refuse it.
    func stubDelivery(_ answer: @escaping @Sendable (CareRequestCallback, String) async throws -> Void) {
        lock.withLock { delivery = answer }
    }

    /// The callbacks Express accepted, in order.
    var callbacks: [(callback: CareRequestCallback, webhookID: String)] { lock.withLock { delivered } }

    func standing(ofUserWithEmail email: String) async throws -> PartnerUserStanding {
        guard let standing = lock.withLock({ standings[email] }) else {
            unexpected.record("Express.standing(ofUserWithEmail: \(email))")
            throw notStubbed("Express", "standing")
        }
        return standing
    }

    func deliver(_ callback: CareRequestCallback, webhookID: String, at timestamp: Date) async throws {
        guard let answer = lock.withLock({ delivery }) else {
            unexpected.record("Express.deliver(\(webhookID))")
            throw notStubbed("Express", "deliver")
        }
        try await answer(callback, webhookID)
        lock.withLock { delivered.append((callback, webhookID)) }
    }
}
