import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

// Administration's generated types to domain types and back.

extension Components.Schemas.PartnerSummary {
    init(_ p: PartnerSummary) {
        self.init(id: p.id.wire, slug: p.slug, name: p.name, marketIds: p.marketIDs.map(\.wire))
    }
}

extension PartnerSettings {
    /// Parses the market ids, reporting each that is not a UUID.
    init(_ b: Components.Schemas.NewPartner) throws {
        var errors = [Problem.FieldError]()
        var markets: [MarketID] = []
        for (index, raw) in b.marketIds.enumerated() {
            if let id = MarketID(wire: raw) {
                markets.append(id)
            } else {
                errors.append(.init(field: "market_ids[\(index)]", message: "must be a UUID"))
            }
        }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        self.init(name: b.name, slug: b.slug, marketIDs: markets)
    }
}

extension MarketSettings {
    init(_ b: Components.Schemas.MarketInput) {
        self.init(
            name: b.name, state: b.state, timeZone: b.timeZone, zipCodes: b.zipCodes, opensAt: b.opensAt,
            closesAt: b.closesAt, windowMinutes: b.windowMinutes, capacityPerWindow: b.capacityPerWindow,
            roadFactor: b.roadFactor ?? MarketSettings.defaultRoadFactor,
            averageSpeedMph: b.averageSpeedMph ?? MarketSettings.defaultSpeedMph)
    }
}

extension Components.Schemas.Closure {
    init(_ c: Closure) { self.init(date: c.date.iso, reason: c.reason) }
}

extension Components.Schemas.ServiceLine {
    init(_ s: ServiceLineModel) throws {
        self.init(
            id: ServiceLineID(try s.requireID()).wire, name: s.name, code: s.code, visitMinutes: s.visitMinutes)
    }
}

extension Components.Schemas.DayPlan {
    init(_ proposal: ProposedDay) {
        self.init(
            marketId: proposal.market.wire, date: proposal.day.iso, version: proposal.version,
            follows: proposal.follows.map { .init(acceptedAt: $0.acceptedAt, acceptedBy: $0.acceptedBy) },
            search: proposal.search.map(SearchPayload.init),
            routes: proposal.routes.map { route in
                .init(
                    teamId: route.team.id.wire, teamName: route.team.settings.name, leavesAt: route.leaves,
                    returnsAt: route.returns, travelSeconds: Int(route.travel.rounded()),
                    stops: route.stops.map {
                        .init(
                            careRequestId: $0.careRequest.wire, arrivesAt: $0.arrival, startsAt: $0.start,
                            estimate: .init(StationStore.estimate(startingAt: $0.start)),
                            slackSeconds: max(0, Int($0.slack.rounded(.down))), extraMinutes: $0.extraMinutes,
                            pinned: $0.pinned, pinnedBy: $0.pinnedBy)
                    })
            },
            unplanned: proposal.unplanned.compactMap(Components.Schemas.UnplannedRequest.init))
    }
}

extension Components.Schemas.DayPlan.SearchPayload {
    init(_ offer: PlanSearchOffer) {
        switch offer {
        case .searching: self.init(state: .searching)
        case .noBetterPlan: self.init(state: .noBetterPlan)
        case .betterPlan(let saved, let more):
            self.init(state: .betterPlan, travelSecondsSaved: Int(saved.rounded()), morePlanned: more)
        }
    }
}

extension Components.Schemas.UnplannedRequest {
    init?(_ item: ProposedDay.Unplanned) {
        guard let reason = ReasonPayload(rawValue: item.reason) else { return nil }
        self.init(
            careRequestId: item.careRequest.wire, extraMinutes: item.extraMinutes, pinnedTeamId: item.pinnedTeam?.wire,
            pinnedBy: item.pinnedBy, reason: reason)
    }
}
