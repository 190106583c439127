import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

/// A market's closed days (scope station.admin).
extension StationAPIHandler {
    func listClosures(_ input: Operations.ListClosures.Input) async throws -> Operations.ListClosures.Output {
        let id = try reachableMarket(input.path.marketId, for: try caller())
        guard let closures = try await store.closures(of: id) else {
            throw Problem.notFound("No market with id \(id.wire).")
        }
        return .ok(.init(body: .json(closures.map(Components.Schemas.Closure.init))))
    }

    func addClosure(_ input: Operations.AddClosure.Input) async throws -> Operations.AddClosure.Output {
        let principal = try caller()
        let id = try reachableMarket(input.path.marketId, for: principal)
        let day = try Self.day(input.path.date)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Expected JSON.") }
        let closure = try await store.addClosure(
            Closure(date: day, reason: body.reason), market: id, actor: Self.actor(principal))
        return .ok(.init(body: .json(.init(closure))))
    }

    func removeClosure(_ input: Operations.RemoveClosure.Input) async throws -> Operations.RemoveClosure.Output {
        let principal = try caller()
        let id = try reachableMarket(input.path.marketId, for: principal)
        let day = try Self.day(input.path.date)
        guard try await store.removeClosure(on: day, market: id, actor: Self.actor(principal)) else {
            throw Problem.notFound("The market with id \(id.wire) is not closed on \(day.iso).")
        }
        return .noContent(.init())
    }

    static func day(_ raw: String) throws -> LocalDate {
        guard let day = LocalDate(iso: raw) else {
            throw Problem.badQuery([.init(field: "date", message: "must be a date as YYYY-MM-DD")])
        }
        return day
    }
}
