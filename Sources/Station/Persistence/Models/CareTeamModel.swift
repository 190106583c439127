import Fluent
import Foundation
import StationDomain

/// A market's care team; `service_lines` and `shifts` keep the settings' lists as JSON text, read back through
/// ``settings``.
final class CareTeamModel: Model, @unchecked Sendable {
    static let schema = "care_teams"

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "name") var name: String
    @Field(key: "base_zip") var baseZip: String
    @Field(key: "service_lines") var serviceLines: String
    @Field(key: "shifts") var shifts: String

    init() {}

    init(id: UUID, marketID: UUID, settings: CareTeamSettings) {
        self.id = id
        self.marketID = marketID
        self.name = ""
        self.baseZip = ""
        self.serviceLines = "[]"
        self.shifts = "[]"
        apply(settings)
    }

    func apply(_ settings: CareTeamSettings) {
        name = settings.name
        baseZip = settings.baseZip
        serviceLines = Self.json(settings.serviceLines)
        shifts = Self.json(settings.shifts)
    }

    /// The team as set (lists that do not read back come back empty rather than failing the whole list).
    var settings: CareTeamSettings {
        let decoder = JSONDecoder()
        return CareTeamSettings(
            name: name, baseZip: baseZip,
            serviceLines: (try? decoder.decode([String].self, from: Data(serviceLines.utf8))) ?? [],
            shifts: (try? decoder.decode([CareTeamSettings.Shift].self, from: Data(shifts.utf8))) ?? [])
    }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
