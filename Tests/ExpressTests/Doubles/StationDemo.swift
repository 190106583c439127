import ExpressDomain
import Foundation
import Platform
import Vocabulary

/// What the demo Station holds for Express's two demo partners: Sunrise (Denver) with twelve current and three
/// past care requests, Mercy (Phoenix) with its own. Times are relative to now, as a seeded Station's are.
enum StationDemo {
    static let sunrise = PartnerID(DemoPartners.sunriseID)
    static let mercy = PartnerID(DemoPartners.mercyID)

    static let sunrisePatients: [Patient] = [
        ("Eleanor", "Whitfield", "1938-04-12"), ("Harold", "Jimenez", "1941-09-30"), ("Ruth", "Anderson", "1936-01-05"),
        ("Walter", "Brooks", "1940-07-21"), ("Dorothy", "Castillo", "1939-11-02"), ("Frank", "Dubois", "1943-03-14"),
        ("Helen", "Ellison", "1937-06-28"), ("George", "Fischer", "1942-12-09"),
    ].enumerated().map { index, person in
        Patient(
            id: .random(), givenName: person.0, familyName: person.1, dateOfBirth: person.2,
            phone: "(303) 555-01\(10 + index)", mrn: "SR-\(1001 + index)")
    }

    static let mercyPatients: [Patient] = [("Margaret", "Okafor", "1944-02-17"), ("Betty", "Hayes", "1945-08-19")]
        .enumerated().map { index, person in
            Patient(
                id: .random(), givenName: person.0, familyName: person.1, dateOfBirth: person.2,
                phone: "(303) 555-02\(10 + index)", mrn: "MH-\(2001 + index)")
        }

    static let markets = [
        Market(id: .random(), name: "Denver"), Market(id: .random(), name: "Phoenix"),
        Market(id: .random(), name: "Las Vegas"),
    ]

    /// A care request for `patient`, made `hoursAgo` hours ago, with its history up to `status`.
    static func careRequest(_ patient: Patient, _ status: CareRequestStatus, hoursAgo: Double, market: String)
        -> CareRequestDetail
    {
        let created = Date().addingTimeInterval(-hoursAgo * 3600)
        return CareRequestDetail(
            id: .random(), patient: patient, status: status, serviceLine: "Acute care", market: market,
            source: .ossPartner,
            chiefComplaint: "Fever and cough for three days",
            visitAddress: VisitAddress(
                line1: "1600 Main St", city: market, state: market == "Denver" ? "CO" : "AZ",
                zip: market == "Denver" ? "80202" : "85004"),
            requester: Requester(name: "Sam Scheduler", relationship: "Care coordinator", phone: "(303) 555-0100"),
            timeWindow: TimeWindow(start: created.addingTimeInterval(7200), end: created.addingTimeInterval(4 * 3600)),
            createdAt: created,
            statusHistory: [StatusChange(to: .requested, changedAt: created)]
                + (status == .requested ? [] : [StatusChange(to: status, changedAt: created.addingTimeInterval(600))]))
    }

    static func sunriseCareRequests() -> [CareRequestDetail] {
        let current: [CareRequestStatus] = [.requested, .pendingTriage, .accepted, .scheduled, .onRoute, .onScene]
        return (0..<12).map {
            careRequest(
                sunrisePatients[$0 % sunrisePatients.count], current[$0 % current.count], hoursAgo: 2 + Double($0),
                market: "Denver")
        }
            + [
                careRequest(sunrisePatients[1], .complete, hoursAgo: 48, market: "Denver"),
                careRequest(sunrisePatients[2], .complete, hoursAgo: 72, market: "Denver"),
                careRequest(sunrisePatients[3], .archived, hoursAgo: 96, market: "Denver"),
            ]
    }

    static func mercyCareRequests() -> [CareRequestDetail] {
        [
            careRequest(mercyPatients[0], .scheduled, hoursAgo: 3, market: "Phoenix"),
            careRequest(mercyPatients[1], .requested, hoursAgo: 5, market: "Phoenix"),
            careRequest(mercyPatients[0], .complete, hoursAgo: 50, market: "Phoenix"),
        ]
    }
}

extension FakeStation {
    /// A Station holding the demo partners' care requests, patients and markets.
    static func demo() -> FakeStation {
        let station = FakeStation()
        station.stub(
            StationDemo.sunrise, careRequests: StationDemo.sunriseCareRequests(), patients: StationDemo.sunrisePatients)
        station.stub(
            StationDemo.mercy, careRequests: StationDemo.mercyCareRequests(), patients: StationDemo.mercyPatients)
        station.stubMarkets(StationDemo.markets)
        return station
    }
}
