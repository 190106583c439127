import Foundation

/// The market form (new and edit) as typed, kept whole so a refused form comes back with everything in it.
package struct MarketForm: Sendable, Equatable, Codable {
    package var name: String
    package var state: String
    package var timeZone: String
    /// ZIP codes separated by commas, spaces or line breaks.
    package var zipCodes: String
    package var opensAt: String
    package var closesAt: String
    package var windowMinutes: String
    package var capacityPerWindow: String
    /// The dispatch planner's travel estimate, as typed: road distance over straight-line distance, and the average
    /// speed in miles per hour.
    package var roadFactor: String
    package var averageSpeedMph: String

    package init(
        name: String = "", state: String = "", timeZone: String = "", zipCodes: String = "", opensAt: String = "08:00",
        closesAt: String = "20:00", windowMinutes: String = "120", capacityPerWindow: String = "4",
        roadFactor: String = "1.3", averageSpeedMph: String = "25"
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

    /// The form filled with a market's settings, for editing it.
    package init(_ settings: MarketSettings) {
        self.init(
            name: settings.name, state: settings.state, timeZone: settings.timeZone,
            zipCodes: settings.zipCodes.joined(separator: ", "), opensAt: settings.opensAt.description,
            closesAt: settings.closesAt.description, windowMinutes: String(settings.windowMinutes),
            capacityPerWindow: String(settings.capacityPerWindow), roadFactor: Self.factor(settings.roadFactor),
            averageSpeedMph: String(settings.averageSpeedMph))
    }

    /// A road factor as the form shows it: 1.3, 1.25.
    package static func factor(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text += "0" }
        return text
    }

    /// The form's field names, which are also the names Station uses for them.
    package enum Field {
        package static let name = "name"
        package static let state = "state"
        package static let timeZone = "time_zone"
        package static let zipCodes = "zip_codes"
        package static let opensAt = "opens_at"
        package static let closesAt = "closes_at"
        package static let windowMinutes = "window_minutes"
        package static let capacityPerWindow = "capacity_per_window"
        package static let roadFactor = "road_factor"
        package static let averageSpeedMph = "average_speed_mph"
        package static let all: Set<String> = [
            name, state, timeZone, zipCodes, opensAt, closesAt, windowMinutes, capacityPerWindow, roadFactor,
            averageSpeedMph,
        ]
    }

    package static let windowLengths = 30...480
    package static let capacities = 0...100
    package static let roadFactors = 1.0...3.0
    package static let speeds = 5...80

    /// The market's settings, or every reason they cannot be saved.
    package func validated() throws(FormErrors) -> MarketSettings {
        var errors = FormErrors()
        let name = FormText.line(
            FormText.trimmed(self.name), Field.name, label: "the market's name", max: 100, into: &errors)
        let state = FormText.trimmed(self.state).uppercased()
        if state.unicodeScalars.count != 2 || !state.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
            errors.add(Field.state, "Enter the two-letter state code, such as CO.")
        }
        let zone = FormText.trimmed(timeZone)
        if !Self.isTimeZone(zone) {
            errors.add(Field.timeZone, "Enter a time zone name such as America/Denver.")
        }
        let zips = Self.zipCodes(in: zipCodes, into: &errors)
        let opens = ClockTime(FormText.trimmed(opensAt))
        let closes = ClockTime(FormText.trimmed(closesAt))
        if opens == nil { errors.add(Field.opensAt, "Enter the opening time as HH:MM, such as 08:00.") }
        if closes == nil { errors.add(Field.closesAt, "Enter the closing time as HH:MM, such as 20:00.") }
        if let opens, let closes, opens >= closes {
            errors.add(Field.closesAt, "The closing time must be after the opening time.")
        }
        let window = FormText.number(
            FormText.trimmed(windowMinutes), Field.windowMinutes, label: "the window length in minutes",
            in: Self.windowLengths, into: &errors)
        if let window, let opens, let closes, opens < closes, (closes.minutes - opens.minutes) % window != 0 {
            errors.add(
                Field.windowMinutes,
                "The opening hours (\(closes.minutes - opens.minutes) minutes) must divide into windows of this length."
            )
        }
        let capacity = FormText.number(
            FormText.trimmed(capacityPerWindow), Field.capacityPerWindow, label: "the places per window",
            in: Self.capacities, into: &errors)
        let factorText = FormText.trimmed(roadFactor)
        let factor =
            factorText.count <= 6 && factorText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") })
            ? Double(factorText) : nil
        if factor.map(Self.roadFactors.contains) != true {
            errors.add(
                Field.roadFactor, "Enter the road factor as a number from 1.0 to 3.0, such as 1.3.")
        }
        let speed = FormText.number(
            FormText.trimmed(averageSpeedMph), Field.averageSpeedMph, label: "the average speed in miles per hour",
            in: Self.speeds, into: &errors)
        try errors.throwIfAny()
        guard let name, let opens, let closes, let window, let capacity, let factor, let speed else { throw errors }
        return MarketSettings(
            name: name, state: state, timeZone: zone, zipCodes: zips, opensAt: opens, closesAt: closes,
            windowMinutes: window, capacityPerWindow: capacity, roadFactor: factor, averageSpeedMph: speed)
    }

    /// The ZIP codes of a typed list, in order and each once.
    static func zipCodes(in text: String, into errors: inout FormErrors) -> [String] {
        let entries = text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
        let bad = entries.filter {
            $0.unicodeScalars.count != 5 || !$0.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) })
        }
        if entries.isEmpty {
            errors.add(Field.zipCodes, "Enter the ZIP codes the market serves.")
        } else if !bad.isEmpty {
            let shown = bad.prefix(3).map { String($0.prefix(12)) }.joined(separator: ", ")
            errors.add(
                Field.zipCodes,
                "ZIP codes have 5 digits; check \(shown)\(bad.count > 3 ? " and \(bad.count - 3) more" : "").")
        }
        var seen = Set<String>()
        return entries.filter { seen.insert($0).inserted }
    }

    /// Whether `name` is an IANA time zone that exists here (not an abbreviation such as MST or an offset).
    static func isTimeZone(_ name: String) -> Bool {
        guard !name.isEmpty, name.unicodeScalars.count <= 64 else { return false }
        let known = TimeZone.knownTimeZoneIdentifiers
        return known.isEmpty ? TimeZone(identifier: name) != nil && name.contains("/") : known.contains(name)
    }

    /// Time zones offered beside the field (any IANA name may be typed).
    package static let suggestedTimeZones = [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
        "America/Anchorage", "Pacific/Honolulu",
    ]
}

/// A market's settings as Station takes them.
package struct MarketSettings: Sendable, Equatable {
    package var name: String
    package var state: String
    package var timeZone: String
    package var zipCodes: [String]
    package var opensAt: ClockTime
    package var closesAt: ClockTime
    package var windowMinutes: Int
    package var capacityPerWindow: Int
    package var roadFactor: Double
    package var averageSpeedMph: Int

    package init(
        name: String, state: String, timeZone: String, zipCodes: [String], opensAt: ClockTime, closesAt: ClockTime,
        windowMinutes: Int, capacityPerWindow: Int, roadFactor: Double = 1.3, averageSpeedMph: Int = 25
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
}

/// A local time of day as "HH:MM", from 00:00 to 24:00 (a market may close at midnight).
package struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes after local midnight.
    package let minutes: Int

    package init?(minutes: Int) {
        guard (0...1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    /// Parses `HH:MM` (and `H:MM`).
    package init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }),
            let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m)
        else { return nil }
        self.init(minutes: h * 60 + m)
    }

    package var description: String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    package static func < (a: ClockTime, b: ClockTime) -> Bool { a.minutes < b.minutes }
}
