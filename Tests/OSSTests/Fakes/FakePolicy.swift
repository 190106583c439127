import Foundation
import TestSupport
import Vocabulary

@testable import OSS

/// Policy for OSS's tests: answers what the test stubbed; an unstubbed question fails the test.
final class FakePolicy: PolicyGateway, @unchecked Sendable {
    private let lock = NSLock()
    private var answer: (@Sendable (SchedulingQuestion) async throws -> PolicyDecision)?
    private var asked: [SchedulingQuestion] = []
    private var changeAnswer: (@Sendable (ChangeQuestion) async throws -> PolicyDecision)?
    private var changeAsked: [ChangeQuestion] = []
    private let unexpected: UnexpectedCalls

    init(_ unexpected: UnexpectedCalls) { self.unexpected = unexpected }

    func stubMaySchedule(_ answer: @escaping @Sendable (SchedulingQuestion) async throws -> PolicyDecision) {
        lock.withLock { self.answer = answer }
    }

    func stubMayChange(_ answer: @escaping @Sendable (ChangeQuestion) async throws -> PolicyDecision) {
        lock.withLock { changeAnswer = answer }
    }

    /// The change questions OSS asked, in order.
    var changeQuestions: [ChangeQuestion] { lock.withLock { changeAsked } }

    func mayChange(_ question: ChangeQuestion) async throws -> PolicyDecision {
        guard let answer = lock.withLock({ changeAnswer }) else {
            unexpected.record("Policy.mayChange(\(question.careRequest.wire))")
            throw notStubbed("Policy", "mayChange")
        }
        lock.withLock { changeAsked.append(question) }
        return try await answer(question)
    }

    /// The questions OSS asked, in order.
    var questions: [SchedulingQuestion] { lock.withLock { asked } }

    func maySchedule(_ question: SchedulingQuestion) async throws -> PolicyDecision {
        guard let answer = lock.withLock({ self.answer }) else {
            unexpected.record("Policy.maySchedule(\(question.user.wire), patient: \(question.patient.wire))")
            throw notStubbed("Policy", "maySchedule")
        }
        lock.withLock { asked.append(question) }
        return try await answer(question)
    }
}
