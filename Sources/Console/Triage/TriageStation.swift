import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vocabulary

/// The Station calls of the triage pages, made with the signed-in nurse's own token: a refusal becomes a
/// ``StationProblem`` with Station's words, anything unreachable or unexpected ``StationUnavailable``.
struct TriageStation {
    typealias CareRequest = Components.Schemas.CareRequest
    typealias Window = Components.Schemas.TimeWindowAvailability

    let client: StationAPI.Client

    /// Every pending_triage request in the nurse's markets, oldest first.
    func queue() async throws -> [Components.Schemas.TriageItem] {
        try await StationStaffGateway.call {
            switch try await client.listTriageQueue() {
            case .ok(let ok): return try ok.body.json.items
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func careRequest(_ id: CareRequestID) async throws -> CareRequest {
        try await StationStaffGateway.call {
            switch try await client.getCareRequest(path: .init(careRequestId: id.wire)) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    /// The partner's name; nil for a patient's own request or a partner Station does not name.
    func partnerName(_ partner: String?) async throws -> String? {
        guard let partner else { return nil }
        return try await StationStaffGateway.call {
            switch try await client.getPartner(path: .init(partnerId: partner)) {
            case .ok(let ok): return try ok.body.json.name
            case .notFound, .forbidden, .badRequest: return nil
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    /// The market's time zone (windows read in it); UTC when Station does not list the market.
    func timeZone(ofMarket market: String) async throws -> TimeZone {
        let markets = try await StationStaffGateway.call {
            switch try await client.listMarkets() {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
        return markets.first { $0.id == market }.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt
    }

    /// The market's windows that still have room, from today (market-local) for a week.
    func windowsWithRoom(market: String, now: Date) async throws -> [Window] {
        // Station accepts `from` as early as the market's yesterday; the UTC date of a day ago is never earlier.
        let from = now.addingTimeInterval(-86_400)
        let to = from.addingTimeInterval(7 * 86_400)
        let windows = try await StationStaffGateway.call {
            switch try await client.getMarketAvailability(
                path: .init(marketId: market), query: .init(from: Self.day(from), to: Self.day(to)))
            {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
        return windows.filter { $0.remaining > 0 }
    }

    /// Records the nurse's decision; Station's refusals (full window, already handled, bad fields) throw
    /// ``StationProblem`` for the form to show.
    func record(_ decision: TriageOutcomeForm.Decision, for id: CareRequestID) async throws -> CareRequest {
        let body: Components.Schemas.TriageOutcomeRequest
        switch decision {
        case .schedule(let window, let note):
            body = .init(outcome: .schedule, note: note, windowStart: window.start, windowEnd: window.end)
        case .emergency(let note):
            body = .init(outcome: .emergency, note: note)
        case .close(let reason, let note):
            body = .init(outcome: .close, note: note, reasonCode: reason.rawValue)
        }
        return try await StationStaffGateway.call {
            switch try await client.recordTriageOutcome(path: .init(careRequestId: id.wire), body: .json(body)) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    private static func day(_ date: Date) -> String {
        DateText.string(date, "yyyy-MM-dd", zone: .gmt, locale: "en_US_POSIX")
    }
}
