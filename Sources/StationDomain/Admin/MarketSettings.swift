import Foundation

/// What an operations admin sets for a market: where it serves, its hours and how they are cut into windows.
package struct MarketSettings: Sendable, Equatable {
    package var name: String
    package var state: String
    /// An IANA time zone identifier, for example America/Denver.
    package var timeZone: String
    package var zipCodes: [String]
    /// "HH:MM", market-local.
    package var opensAt: String
    package var closesAt: String
    package var windowMinutes: Int
    package var capacityPerWindow: Int
    /// The dispatch planner's travel estimate: road distance over straight-line distance…
    package var roadFactor: Double
    /// …driven at this average speed, in miles per hour.
    package var averageSpeedMph: Int

    package init(
        name: String, state: String, timeZone: String, zipCodes: [String], opensAt: String, closesAt: String,
        windowMinutes: Int, capacityPerWindow: Int, roadFactor: Double = MarketSettings.defaultRoadFactor,
        averageSpeedMph: Int = MarketSettings.defaultSpeedMph
    ) {
        self.name = name
        self.state = state
        self.timeZone = timeZone
        self.zipCodes = zipCodes
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.windowMinutes = windowMinutes
        self.capacityPerWindow = capacityPerWindow
        self.roadFactor = roadFactor
        self.averageSpeedMph = averageSpeedMph
    }

    package static let windowMinutesRange = 30...480
    /// A market made before markets had travel settings, or made without them: 1.3 at 25 mph (about 40 km/h).
    package static let defaultRoadFactor = 1.3
    package static let defaultSpeedMph = 25
    package static let roadFactorRange = 1.0...3.0
    package static let speedRange = 5...80
    package static let capacityRange = 0...100

    /// The settings as stored (name trimmed, state upper-cased), or every bad field at once.
    package func validated() throws(FieldErrors) -> MarketSettings {
        var errors = FieldErrors()
        var clean = self
        clean.name = name.trimmingCharacters(in: .whitespaces)
        clean.state = state.uppercased()
        clean.timeZone = timeZone.trimmingCharacters(in: .whitespaces)
        Validate.required(clean.name, "name", into: &errors)
        Validate.text(clean.name, "name", max: 100, into: &errors)
        Validate.state(clean.state, "state", into: &errors)
        if clean.timeZone.isEmpty || TimeZone(identifier: clean.timeZone) == nil {
            errors.add("time_zone", "must be an IANA time zone that exists, such as America/Denver")
        }
        if zipCodes.isEmpty { errors.add("zip_codes", "must name at least one ZIP code") }
        var seen = Set<String>()
        for (index, zip) in zipCodes.enumerated() {
            Validate.zip(zip, "zip_codes[\(index)]", into: &errors)
            if !seen.insert(zip).inserted { errors.add("zip_codes[\(index)]", "is listed twice") }
        }
        let opens = Self.clockMinutes(opensAt, latest: 23 * 60 + 59)
        let closes = Self.clockMinutes(closesAt, latest: 24 * 60)
        if opens == nil { errors.add("opens_at", "must be a time of day as HH:MM, such as 08:00") }
        if closes == nil { errors.add("closes_at", "must be a time of day as HH:MM, such as 20:00 (24:00 at most)") }
        if let opens, let closes, closes <= opens { errors.add("closes_at", "must be after opens_at") }
        if !Self.windowMinutesRange.contains(windowMinutes) {
            errors.add("window_minutes", "must be between 30 and 480")
        } else if let opens, let closes, closes > opens, (closes - opens) % windowMinutes != 0 {
            errors.add(
                "window_minutes",
                "must divide the opening hours (\(closes - opens) minutes) into whole windows")
        }
        if !Self.capacityRange.contains(capacityPerWindow) {
            errors.add("capacity_per_window", "must be between 0 and 100")
        }
        if !roadFactor.isFinite || !Self.roadFactorRange.contains(roadFactor) {
            errors.add("road_factor", "must be from 1.0 to 3.0 (road distance over straight-line distance)")
        }
        if !Self.speedRange.contains(averageSpeedMph) {
            errors.add("average_speed_mph", "must be from 5 to 80 miles per hour")
        }
        try errors.throwIfAny()
        return clean
    }

    /// Minutes after midnight of a strict "HH:MM" no later than `latest`.
    static func clockMinutes(_ clock: String, latest: Int) -> Int? {
        let digits = Array(clock.utf8)
        guard digits.count == 5, digits[2] == UInt8(ascii: ":"),
            [0, 1, 3, 4].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digits[$0]) }),
            let minutes = MarketSchedule.minutes(clock), minutes <= latest
        else { return nil }
        return minutes
    }
}
