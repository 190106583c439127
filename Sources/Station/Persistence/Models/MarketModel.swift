import Fluent
import Foundation
import StationDomain

final class MarketModel: Model, @unchecked Sendable {
    static let schema = "markets"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "state") var state: String
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "zip_codes") var zipCodes: [String]
    @Field(key: "opens_at") var opensAt: String
    @Field(key: "closes_at") var closesAt: String
    @Field(key: "window_minutes") var windowMinutes: Int
    @Field(key: "capacity_per_window") var capacityPerWindow: Int
    @OptionalField(key: "road_factor") var storedRoadFactor: Double?
    @OptionalField(key: "average_speed_mph") var storedSpeedMph: Int?

    init() {}

    init(
        id: UUID, name: String, state: String, timeZone: String, zipCodes: [String], opensAt: String,
        closesAt: String, windowMinutes: Int, capacityPerWindow: Int
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.timeZone = timeZone
        self.zipCodes = zipCodes
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.windowMinutes = windowMinutes
        self.capacityPerWindow = capacityPerWindow
    }

    /// The planner's road factor (the default for a market made before markets had one).
    var roadFactor: Double { storedRoadFactor ?? MarketSettings.defaultRoadFactor }
    /// The planner's average speed in miles per hour (the default for a market made before markets had one).
    var averageSpeedMph: Int { storedSpeedMph ?? MarketSettings.defaultSpeedMph }

    var schedule: MarketSchedule {
        MarketSchedule(
            timeZone: TimeZone(identifier: timeZone) ?? .gmt,
            opensAt: MarketSchedule.minutes(opensAt) ?? 8 * 60,
            closesAt: MarketSchedule.minutes(closesAt) ?? 20 * 60,
            windowMinutes: windowMinutes, capacityPerWindow: capacityPerWindow)
    }
}
