import Foundation
import Platform
import StationDomain
import Vocabulary

/// Fixed ids of the demo data, so that other services' seeds (Express's partners, Identity's accounts) can
/// refer to the same partners.
package enum DemoData {
    package static let sunrise = PartnerID(DemoPartners.sunriseID)
    package static let mercy = PartnerID(DemoPartners.mercyID)

    package static let denver = MarketID(wire: "3a7e0000-0000-4000-8000-000000000001")!
    package static let phoenix = MarketID(wire: "3a7e0000-0000-4000-8000-000000000002")!
    package static let lasVegas = MarketID(wire: "3a7e0000-0000-4000-8000-000000000003")!

    package static let acuteCare = ServiceLineID(wire: "51e00000-0000-4000-8000-000000000001")!
    package static let bridgeCare = ServiceLineID(wire: "51e00000-0000-4000-8000-000000000002")!
    package static let advancedCare = ServiceLineID(wire: "51e00000-0000-4000-8000-000000000003")!

    struct PartnerSeed {
        var id: PartnerID
        var slug: String
        var name: String
        var market: MarketID
        /// The markets the partner may book in (every demo market, as before partners were limited).
        var bookableMarkets: [MarketID] = [denver, phoenix, lasVegas]
        var named: [(given: String, family: String, dob: String, sex: Sex)]
    }

    static let partners: [PartnerSeed] = [
        PartnerSeed(
            id: sunrise, slug: "sunrise", name: "Sunrise Senior Living", market: denver,
            named: [
                ("Eleanor", "Whitfield", "1938-04-12", .female),
                ("Harold", "Jimenez", "1941-09-30", .male),
            ]),
        PartnerSeed(
            id: mercy, slug: "mercy", name: "Mercy Home Health", market: phoenix,
            named: [
                ("Margaret", "Okafor", "1944-02-17", .female)
            ]),
    ]

    struct MarketSeed {
        var id: MarketID
        var name: String
        var state: String
        var timeZone: String
        var zips: [String]
        var streets: [String]
    }

    static let markets: [MarketSeed] = [
        MarketSeed(
            id: denver, name: "Denver", state: "CO", timeZone: "America/Denver",
            zips: [
                "80202", "80203", "80204", "80205", "80206", "80207", "80209", "80210", "80211", "80218", "80219",
                "80220",
            ],
            streets: ["Larimer St", "Colfax Ave", "Speer Blvd", "Downing St", "York St"]),
        MarketSeed(
            id: phoenix, name: "Phoenix", state: "AZ", timeZone: "America/Phoenix",
            zips: ["85003", "85004", "85006", "85007", "85008", "85012", "85013", "85014", "85015", "85016"],
            streets: ["Van Buren St", "Camelback Rd", "Indian School Rd", "McDowell Rd"]),
        MarketSeed(
            id: lasVegas, name: "Las Vegas", state: "NV", timeZone: "America/Los_Angeles",
            zips: ["89101", "89102", "89103", "89104", "89106", "89107", "89108", "89109", "89117", "89119"],
            streets: ["Fremont St", "Charleston Blvd", "Sahara Ave", "Desert Inn Rd"]),
    ]

    /// Each line's id, name, code and visit length in minutes.
    static let serviceLines: [(ServiceLineID, String, String, Int)] = [
        (acuteCare, "Acute care", "acute_care", 60), (bridgeCare, "Bridge care after discharge", "bridge_care", 45),
        (advancedCare, "Advanced care", "advanced_care", 90),
    ]

    /// Each market's care teams: the early team works 07:00–17:00 on weekdays and the late one 09:00–20:00 (the last
    /// window closes at 20:00) every day, so that every day a market publishes windows has a team for acute care.
    static var careTeams: [(market: MarketID, settings: CareTeamSettings)] {
        let weekdays: [CareTeamSettings.Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
        func hours(_ start: String, _ end: String, weekend: Bool = false) -> [CareTeamSettings.Shift] {
            (weekdays + (weekend ? [.saturday, .sunday] : [])).map { .init(day: $0, startsAt: start, endsAt: end) }
        }
        return [
            (
                denver,
                .init(
                    name: "Denver Early", baseZip: "80204", serviceLines: ["acute_care", "bridge_care"],
                    shifts: hours("07:00", "17:00"))
            ),
            (
                denver,
                .init(
                    name: "Denver Late", baseZip: "80218", serviceLines: ["acute_care", "advanced_care"],
                    shifts: hours("09:00", "20:00", weekend: true))
            ),
            (
                denver,
                .init(
                    name: "Denver Bridge", baseZip: "80211", serviceLines: ["bridge_care"],
                    shifts: hours("08:00", "18:00"))
            ),
            (
                phoenix,
                .init(
                    name: "Phoenix Early", baseZip: "85004",
                    serviceLines: ["acute_care", "bridge_care", "advanced_care"], shifts: hours("07:00", "17:00"))
            ),
            (
                phoenix,
                .init(
                    name: "Phoenix Late", baseZip: "85012", serviceLines: ["acute_care", "bridge_care"],
                    shifts: hours("09:00", "20:00", weekend: true))
            ),
            (
                lasVegas,
                .init(
                    name: "Las Vegas Early", baseZip: "89101",
                    serviceLines: ["acute_care", "bridge_care", "advanced_care"], shifts: hours("07:00", "17:00"))
            ),
            (
                lasVegas,
                .init(
                    name: "Las Vegas Late", baseZip: "89109", serviceLines: ["acute_care", "advanced_care"],
                    shifts: hours("09:00", "20:00", weekend: true))
            ),
        ]
    }

    static let givenNames = [
        "Ruth", "Walter", "Dorothy", "Frank", "Helen", "George", "Betty", "Raymond", "Shirley",
        "Eugene", "Joan", "Arthur", "Lorraine", "Ernest", "Gloria", "Harvey", "Irene", "Lloyd",
        "Josefina", "Renée", "Chloé", "José", "Mei", "Tomás",
    ]
    static let familyNames = [
        "Anderson", "Brooks", "Castillo", "Dubois", "Ellison", "Fischer", "García", "Hayes",
        "Ibarra", "Jensen", "Kowalski", "Lindqvist", "Müller", "Nakamura", "O'Brien", "Patel",
        "Quinn", "Rossi", "Sánchez", "Thompson", "Umeh", "Vance", "Whitaker", "Young",
    ]
    static let complaints = [
        "Fever and cough for three days", "Fall without injury, wants a check", "Urinary symptoms",
        "Worsening swelling in both legs", "Follow-up after hospital discharge",
        "Confusion since yesterday", "Skin wound that is not healing", "Shortness of breath on exertion",
    ]
}
