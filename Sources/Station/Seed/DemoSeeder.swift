import Fluent
import Foundation
import Platform
import StationDomain
import Vocabulary

/// Loads the demo data: two partners, three markets with their care teams, three service lines, 40+ patients per
/// partner and care requests in every status. Idempotent: does nothing when the partners exist.
///
/// Booked requests sit in real windows of their market's schedule (today's, and tomorrow's for those still
/// `requested`), each holding its place through the same reservation as a booking, so the dispatch board
/// shows them in their windows with the right counts.
struct DemoSeeder {
    let store: StationStore

    /// The actor the seed's administration changes are recorded under.
    static let actor = "seed"

    func seedIfEmpty() async throws -> Bool {
        if try await store.partner(DemoData.sunrise) != nil { return false }
        let now = store.timestamp()
        // Reference data goes through the same operations an operations admin uses (and is audited the same way).
        for (id, name, code, minutes) in DemoData.serviceLines {
            _ = try await store.createServiceLine(
                .init(name: name, code: code, visitMinutes: minutes), id: id, actor: Self.actor)
        }
        for m in DemoData.markets {
            let settings = MarketSettings(
                name: m.name, state: m.state, timeZone: m.timeZone, zipCodes: m.zips, opensAt: "08:00",
                closesAt: "20:00", windowMinutes: 120, capacityPerWindow: 4)
            _ = try await store.createMarket(settings, id: m.id, actor: Self.actor)
        }
        for (market, team) in DemoData.careTeams {
            _ = try await store.createCareTeam(team, market: market, actor: Self.actor)
        }
        for partner in DemoData.partners {
            let settings = PartnerSettings(name: partner.name, slug: partner.slug, marketIDs: partner.bookableMarkets)
            _ = try await store.createPartner(settings, id: partner.id, actor: Self.actor)
        }
        try await store.write { db in
            var random = SeededRandom(seed: 42)
            for partner in DemoData.partners {
                let market = DemoData.markets.first { $0.id == partner.market }!
                guard let marketModel = try await MarketModel.find(market.id.rawValue, on: db) else {
                    throw StationError.notFound("market")
                }
                var windows = DemoWindows(schedule: marketModel.schedule, now: now)
                var patients: [PatientModel] = []
                for (index, person) in partner.named.enumerated() {
                    patients.append(
                        PatientModel(
                            id: UUID(), partnerID: partner.id.rawValue,
                            details: details(
                                person.given, person.family, person.dob, person.sex, index, partner, market, &random),
                            createdAt: now))
                }
                for index in partner.named.count..<42 {
                    let given = DemoData.givenNames[random.next(DemoData.givenNames.count)]
                    let family = DemoData.familyNames[random.next(DemoData.familyNames.count)]
                    let dob = String(
                        format: "19%02d-%02d-%02d", 25 + random.next(40), 1 + random.next(12), 1 + random.next(28))
                    let sex: Sex = random.next(2) == 0 ? .female : .male
                    patients.append(
                        PatientModel(
                            id: UUID(), partnerID: partner.id.rawValue,
                            details: details(given, family, dob, sex, index, partner, market, &random),
                            createdAt: now))
                }
                for patient in patients { try await patient.create(on: db) }
                // Two requests in every status, spread over the last 60 days; the named patients' are newest.
                var age = 0
                for (round, status) in (CareRequestStatus.allCases + CareRequestStatus.allCases).enumerated() {
                    let patient = patients[round % patients.count]
                    age += 1 + random.next(5)
                    let created = now.addingTimeInterval(-Double(age) * 3 * 3600 - Double(random.next(3600)))
                    let window = windows.next(for: status)
                    try await insertCareRequest(
                        patient: patient, partner: partner, market: market, status: status, window: window,
                        created: created, random: &random, on: db)
                    if let window, status != .archived {
                        try await StationStore.reserve(window, in: marketModel, on: db)
                    }
                }
            }
        }
        return true
    }

    private func details(
        _ given: String, _ family: String, _ dob: String, _ sex: Sex, _ index: Int,
        _ partner: DemoData.PartnerSeed, _ market: DemoData.MarketSeed,
        _ random: inout SeededRandom
    ) -> NewPatient {
        NewPatient(
            givenName: given, familyName: family, dateOfBirth: dob, sex: sex,
            phone: String(format: "(303) 555-%04d", 100 + index + (partner.slug == "mercy" ? 500 : 0)),
            email: nil,
            address: Address(
                line1: "\(100 + random.next(9000)) \(market.streets[random.next(market.streets.count)])",
                line2: "Apt \(1 + random.next(300))", city: market.name, state: market.state,
                zip: market.zips[random.next(market.zips.count)]),
            mrn: String(format: "%@-%06d", partner.slug.prefix(3).uppercased(), 1000 + index))
    }

    private func insertCareRequest(
        patient: PatientModel, partner: DemoData.PartnerSeed, market: DemoData.MarketSeed,
        status: CareRequestStatus, window: DateInterval?, created: Date, random: inout SeededRandom,
        on db: any Database
    ) async throws {
        let model = CareRequestModel()
        model.id = UUID()
        model.partnerID = partner.id.rawValue
        model.patientID = patient.id!
        model.marketID = market.id.rawValue
        model.serviceLineID = DemoData.serviceLines[random.next(DemoData.serviceLines.count)].0.rawValue
        model.source = [CareRequestSource.express, .phone, .ossPartner][random.next(3)].rawValue
        model.setStatus(status)
        model.synthetic = false
        model.chiefComplaint = DemoData.complaints[random.next(DemoData.complaints.count)]
        model.visitAddress =
            patient.address ?? Address(line1: "1 Main St", city: market.name, state: market.state, zip: market.zips[0])
        model.requester = Person(
            name: "Front desk, \(partner.name)", phone: "(303) 555-0100", relationship: "Facility staff")
        let triage = status == .pendingTriage
        model.screening = Screening(
            questionnaireVersion: "2024-1", answers: ["fever": triage ? "yes" : "no"],
            outcome: triage ? .nurseTriage : .selfSchedule, reasonCodes: triage ? ["fever_with_confusion"] : [])
        model.insurance = Insurance(selfPay: false, payer: "Medicare", memberID: "1EG4-TE5-MK7\(random.next(10))")
        model.callbackContact = Person(name: "Front desk", phone: "(303) 555-0100")
        model.windowStart = window?.start
        model.windowEnd = window?.end
        if [.scheduled, .onRoute, .onScene, .complete].contains(status), let start = model.windowStart {
            model.etaStart = start.addingTimeInterval(1800)
            model.etaEnd = start.addingTimeInterval(3600)
        }
        model.createdMs = Int64((created.timeIntervalSince1970 * 1000).rounded(.down))
        model.createdAt = Date(timeIntervalSince1970: Double(model.createdMs) / 1000)
        model.updatedAt = model.createdAt
        model.calendarSequence = 0
        try await model.create(on: db)
        // The history walks the happy path up to the status.
        let path: [CareRequestStatus] =
            switch status {
            case .pendingTriage: [.pendingTriage]
            case .archived: [.requested, .archived]
            default: Array(CareRequestStatus.allCases[1...CareRequestStatus.allCases.firstIndex(of: status)!])
            }
        var previous: CareRequestStatus?
        for (step, next) in path.enumerated() {
            try await StatusChangeModel(
                careRequestID: model.id!, from: previous, to: next,
                actor: step == 0 ? "seed" : "dispatcher@example.com",
                reason: next == .archived ? "Patient went to the emergency department" : nil,
                at: model.createdAt.addingTimeInterval(Double(step) * 900)
            ).create(on: db)
            previous = next
        }
    }
}

/// Hands out the market's windows to the demo requests in turn: today's for those being or done being seen,
/// tomorrow's for those still `requested`, none for those waiting for a nurse.
struct DemoWindows {
    let today: [DateInterval]
    let tomorrow: [DateInterval]
    private var todayTaken = 0
    private var tomorrowTaken = 0

    init(schedule: MarketSchedule, now: Date) {
        let day = LocalDate(now, in: schedule.timeZone)
        today = day.map(schedule.windows(on:)) ?? []
        tomorrow = day?.adding(days: 1).map(schedule.windows(on:)) ?? []
    }

    mutating func next(for status: CareRequestStatus) -> DateInterval? {
        switch status {
        case .pendingTriage:
            return nil
        case .requested:
            guard !tomorrow.isEmpty else { return nil }
            defer { tomorrowTaken += 1 }
            return tomorrow[tomorrowTaken % tomorrow.count]
        default:
            guard !today.isEmpty else { return nil }
            defer { todayTaken += 1 }
            return today[todayTaken % today.count]
        }
    }
}

/// A small deterministic generator (SplitMix64), so the demo data is the same on every machine.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func nextRaw() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(_ bound: Int) -> Int { Int(nextRaw() % UInt64(bound)) }
}
