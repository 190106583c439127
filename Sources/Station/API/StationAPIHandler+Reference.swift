import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    func getPartner(_ input: Operations.GetPartner.Input) async throws -> Operations.GetPartner.Output {
        let partner = try await reachablePartner(input.path.partnerId, for: try caller())
        return .ok(
            .init(
                body: .json(.init(id: PartnerID(try partner.requireID()).wire, slug: partner.slug, name: partner.name)))
        )
    }

    func listMarkets(_ input: Operations.ListMarkets.Input) async throws -> Operations.ListMarkets.Output {
        _ = try caller()
        return .ok(.init(body: .json(try await store.markets().map(Components.Schemas.Market.init))))
    }

    func getMarketByZip(_ input: Operations.GetMarketByZip.Input) async throws -> Operations.GetMarketByZip.Output {
        _ = try caller()
        let zip = input.path.zip
        guard zip.utf8.count == 5, zip.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw Problem.badQuery([.init(field: "zip", message: "must be a 5-digit ZIP code")])
        }
        guard let market = try await store.market(servingZip: zip) else {
            throw Problem.notFound("We do not serve ZIP code \(zip) yet. Please call us to schedule a visit.")
                .with("zip", zip)
        }
        return .ok(.init(body: .json(try .init(market))))
    }

    func getMarketAvailability(_ input: Operations.GetMarketAvailability.Input) async throws
        -> Operations.GetMarketAvailability.Output
    {
        _ = try caller()
        let id = try Self.id(input.path.marketId, MarketID.self, name: "marketId")
        let from = LocalDate(iso: input.query.from)
        let to = LocalDate(iso: input.query.to)
        var errors = [Problem.FieldError]()
        if from == nil { errors.append(.init(field: "from", message: "must be a date as YYYY-MM-DD")) }
        if to == nil { errors.append(.init(field: "to", message: "must be a date as YYYY-MM-DD")) }
        guard errors.isEmpty, let from, let to else { throw Problem.badQuery(errors) }
        guard let market = try await store.market(id) else { throw Problem.notFound("No market with id \(id.wire).") }
        try Self.checkRange(from: from, to: to, published: market.schedule.publishedDays(at: store.now()))
        let windows = try await store.availability(of: market, from: from, to: to)
        var answer = windows.map(Components.Schemas.TimeWindowAvailability.init)
        if let fits = try await planFits(
            windows, of: market, zip: input.query.zip, line: input.query.serviceLineId,
            rescheduling: input.query.rescheduling)
        {
            for index in answer.indices where windows[index].remaining > 0 {
                answer[index].fitsPlan = fits[windows[index].window.start]
            }
        }
        return .ok(.init(body: .json(answer)))
    }

    /// Whether each window with room fits the day's dispatch plan for a visit of the line at the ZIP code, when the
    /// query names both; nil when it names neither or the market plans no routes.
    private func planFits(
        _ windows: [WindowAvailability], of market: MarketModel, zip: String?, line: String?, rescheduling: String?
    ) async throws -> [Date: Bool]? {
        guard zip != nil || line != nil else { return nil }
        var moving: CareRequestID?
        if let rescheduling {
            guard let id = CareRequestID(wire: rescheduling) else {
                throw Problem.badQuery([.init(field: "rescheduling", message: "must be a care request id, a UUID")])
            }
            moving = id
        }
        guard let zip, zip.count == 5, zip.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Problem.badQuery([.init(field: "zip", message: "must be a five-digit ZIP code, with service_line_id")]
            )
        }
        guard let line, let id = ServiceLineID(wire: line), let model = try await store.serviceLine(id) else {
            throw Problem.badQuery([
                .init(field: "service_line_id", message: "must name one of the service lines, with zip")
            ])
        }
        guard case .success(let locator) = StationStore.zipLocator else { return nil }
        return try await store.planFits(
            windows.filter { $0.remaining > 0 }.map(\.window), of: market, zip: zip, line: model, excluding: moving,
            locator: locator)
    }

    /// An availability range lies inside the market's published days (from a day before, for a caller whose
    /// clock is a little behind) and spans at most two weeks.
    static func checkRange(from: LocalDate, to: LocalDate, published: ClosedRange<LocalDate>?) throws {
        var errors = [Problem.FieldError]()
        guard let published, let earliest = published.lowerBound.adding(days: -1) else {
            throw Problem.badQuery([.init(field: "from", message: "is outside the days this market publishes")])
        }
        if from < earliest {
            errors.append(
                .init(field: "from", message: "must be on or after \(earliest.iso): past days have no windows"))
        }
        if to > published.upperBound {
            errors.append(
                .init(
                    field: "to",
                    message: "must be on or before \(published.upperBound.iso), the last day this market publishes"))
        }
        if to < from {
            errors.append(.init(field: "to", message: "must be on or after from"))
        } else if from.days(to: to) > MarketSchedule.horizonDays {
            errors.append(.init(field: "to", message: "must be at most \(MarketSchedule.horizonDays) days after from"))
        }
        if !errors.isEmpty { throw Problem.badQuery(errors) }
    }

    func listServiceLines(_ input: Operations.ListServiceLines.Input) async throws -> Operations.ListServiceLines.Output
    {
        _ = try caller()
        return .ok(.init(body: .json(try await store.serviceLines().map(Components.Schemas.ServiceLine.init))))
    }
}
