import AsyncHTTPClient
import Foundation
import OpenAPIRuntime
import StationAPI
import StationDomain
import Testing
import Vapor
import Vocabulary

@testable import Station

/// Real HTTP against a running Station: changes racing for the same places and the same request.
@Suite("Concurrent changes")
struct ChangeConcurrencyTests {
    static func move(_ id: String, to window: (Date, Date)) -> Components.Schemas.RescheduleRequest {
        .init(
            timeWindow: .init(start: window.0, end: window.1), partnerId: Fixtures.sunrise,
            onBehalfOf: "express-user-7")
    }

    @Test("K parallel reschedules into a window with C places left: exactly C move, the rest hear it is full")
    func parallelReschedules() async throws {
        try await ConcurrencyTests.withClient { station, client in
            let target = try await station.freeWindow(of: DemoData.denver)
            let fromA = try await station.freeWindow(of: DemoData.denver, skip: 1)
            let fromB = try await station.freeWindow(of: DemoData.denver, skip: 2)
            for _ in 0..<2 { _ = try await station.bookedRequest(in: target) } // C = 4 - 2 places left
            var movers: [String] = []
            for window in [fromA, fromA, fromA, fromB, fromB, fromB] {
                movers.append(try await station.bookedRequest(in: window))
            }
            let outcomes = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for id in movers {
                    group.addTask {
                        let output = try await client.rescheduleCareRequest(
                            path: .init(careRequestId: id), headers: .init(idempotencyKey: UUID().uuidString),
                            body: .json(Self.move(id, to: target)))
                        switch output {
                        case .ok: return (id, 200)
                        case .conflict(let problem):
                            #expect(try problem.body.applicationProblemJson.nextAvailableWindows?.isEmpty == false)
                            return (id, 409)
                        default:
                            Issue.record("unexpected \(output)")
                            return (id, 0)
                        }
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1.0] = $1.1 }
            }
            let moved = Set(outcomes.filter { $0.value == 200 }.map(\.key))
            #expect(moved.count == 2)
            #expect(outcomes.values.filter { $0 == 409 }.count == 4)
            #expect(try await station.booked(target) == 4)
            let movedFromA = movers.prefix(3).filter(moved.contains).count
            #expect(try await station.booked(fromA) == 3 - movedFromA)
            #expect(try await station.booked(fromB) == 3 - (2 - movedFromA))
            for window in [target, fromA, fromB] {
                #expect(try await station.booked(window) == (try await station.holders(window)))
            }
        }
    }

    @Test("a cancel racing a reschedule of the same request leaves it and the places consistent")
    func cancelRacingReschedule() async throws {
        try await ConcurrencyTests.withClient { station, client in
            let from = try await station.freeWindow(of: DemoData.denver, skip: 3)
            let to = try await station.freeWindow(of: DemoData.denver, skip: 4)
            for _ in 0..<3 {
                let id = try await station.bookedRequest(in: from)
                async let cancel = client.cancelCareRequest(
                    path: .init(careRequestId: id), headers: .init(idempotencyKey: UUID().uuidString),
                    body: .json(.init(reason: .hospitalized, partnerId: Fixtures.sunrise, onBehalfOf: "a")))
                async let reschedule = client.rescheduleCareRequest(
                    path: .init(careRequestId: id), headers: .init(idempotencyKey: UUID().uuidString),
                    body: .json(Self.move(id, to: to)))
                let (cancelled, rescheduled) = try await (cancel, reschedule)
                let cancelWon: Bool
                switch cancelled {
                case .ok: cancelWon = true
                case .conflict: cancelWon = false
                default: throw Failure("cancel answered \(cancelled)")
                }
                let rescheduleWon: Bool
                switch rescheduled {
                case .ok: rescheduleWon = true
                case .conflict: rescheduleWon = false
                default: throw Failure("reschedule answered \(rescheduled)")
                }
                #expect(cancelWon || rescheduleWon)
                let detail = try await client.getCareRequest(path: .init(careRequestId: id)).ok.body.json
                #expect(detail.calendarSequence == [cancelWon, rescheduleWon].filter { $0 }.count)
                #expect((detail.status == .archived) == cancelWon)
                #expect((detail.timeWindow?.start == to.0) == rescheduleWon)
                for window in [from, to] {
                    #expect(try await station.booked(window) == (try await station.holders(window)))
                }
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
