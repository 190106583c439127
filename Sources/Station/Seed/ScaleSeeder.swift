import Fluent
import Foundation
import Platform
import SQLKit
import StationDomain
import Vocabulary

/// Adds synthetic partners, patients and care requests in bulk, for load and scale tests.
///
/// Rows go in as multi-row inserts of a few hundred at a time inside large transactions; the shape
/// of the data (one partner with a fifth of all requests, a patient per five requests, every status)
/// is what the benchmarks expect.
package struct ScaleSeeder: Sendable {
    let store: StationStore
    package var partnerCount: Int
    package var progress: @Sendable (String) -> Void

    struct Summary: Sendable {
        var partners: Int
        var patients: Int
        var careRequests: Int
    }

    func seed(careRequests total: Int) async throws -> Summary {
        let partners = (0..<partnerCount).map { _ in UUID() }
        let batch = UUID().uuidString.prefix(6).lowercased()
        let now = store.timestamp()
        try await store.write { db in
            for (index, id) in partners.enumerated() {
                try await PartnerModel(
                    id: id, slug: "synthetic-\(batch)-\(index + 1)",
                    name: "Synthetic Partner \(batch.uppercased()) \(index + 1)", createdAt: now
                ).create(on: db)
            }
        }
        // The first partner gets a fifth of everything; the rest share the remainder.
        func partnerIndex(_ n: Int) -> Int {
            guard partners.count > 1 else { return 0 }
            return n % 5 == 0 ? 0 : 1 + (n / 5) % (partners.count - 1)
        }
        let markets = DemoData.markets
        let lines = DemoData.serviceLines.map(\.0.rawValue)
        let statuses = CareRequestStatus.allCases
        let patientTotal = max(1, total / 5)
        var random = SeededRandom(seed: UInt64(total))
        var patientIDs: [UUID] = []
        patientIDs.reserveCapacity(patientTotal)
        var patientPartner: [Int] = []
        patientPartner.reserveCapacity(patientTotal)

        let chunk = 400
        var done = 0
        while done < patientTotal {
            let count = min(chunk * 25, patientTotal - done)
            var rows: [[any Encodable & Sendable]] = []
            for n in done..<(done + count) {
                let id = UUID()
                let partner = partnerIndex(n)
                patientIDs.append(id)
                patientPartner.append(partner)
                let given = DemoData.givenNames[random.next(DemoData.givenNames.count)]
                let family =
                    DemoData.familyNames[random.next(DemoData.familyNames.count)] + (n % 7 == 0 ? "" : "-\(n % 977)")
                let phone = String(format: "555%07d", n)
                let mrn = String(format: "SYN-%08d", n)
                let dob = String(
                    format: "19%02d-%02d-%02d", 20 + random.next(60), 1 + random.next(12), 1 + random.next(28))
                rows.append([
                    id, partners[partner], given, family, dob, "unknown", phone, mrn,
                    SearchKey.name(given), SearchKey.name(family), SearchKey.name(given + family),
                    phone, SearchKey.name(mrn), now,
                ])
            }
            try await insert(
                rows, into: PatientModel.schema,
                columns: [
                    "id", "partner_id", "given_name", "family_name", "date_of_birth", "sex", "phone", "mrn",
                    "given_key", "family_key", "full_key", "phone_key", "mrn_key", "created_at",
                ], chunk: chunk)
            done += count
            progress("patients \(done)/\(patientTotal)")
        }

        done = 0
        let requester = Person(name: "Synthetic requester", phone: "5550000000")
        let screening = Screening(questionnaireVersion: "2024-1", answers: [:], outcome: .selfSchedule, reasonCodes: [])
        let startMs = Int64(now.timeIntervalSince1970 * 1000) - Int64(total) * 60_000
        while done < total {
            let count = min(chunk * 25, total - done)
            var rows: [[any Encodable & Sendable]] = []
            for n in done..<(done + count) {
                let patient = random.next(patientTotal)
                let market = markets[patientPartner[patient] % markets.count]
                let status = statuses[n % statuses.count]
                let ms = startMs + Int64(n) * 60_000
                let created = Date(timeIntervalSince1970: Double(ms) / 1000)
                let address = Address(
                    line1: "\(n % 9000 + 100) \(market.streets[0])", city: market.name, state: market.state,
                    zip: market.zips[0])
                rows.append([
                    UUID(), partners[patientPartner[patient]], patientIDs[patient], market.id.rawValue,
                    lines[n % lines.count], CareRequestSource.express.rawValue, status.rawValue, status.phase.rawValue,
                    DemoData.complaints[n % DemoData.complaints.count], address, requester, screening,
                    ms, created, created,
                ])
            }
            try await insert(
                rows, into: CareRequestModel.schema,
                columns: [
                    "id", "partner_id", "patient_id", "market_id", "service_line_id", "source", "status", "phase",
                    "chief_complaint", "visit_address", "requester", "screening", "created_ms", "created_at",
                    "updated_at",
                ], chunk: chunk)
            done += count
            progress("care requests \(done)/\(total)")
        }
        // Fresh statistics, so the planner picks the partner-scoped indexes at this size; on PostgreSQL also the
        // visibility map, without which its covering indexes still read every matching row from the table.
        progress("analyzing")
        try await store.db.sql.raw(store.db.isSQLite ? "ANALYZE" : "VACUUM ANALYZE").run()
        return Summary(partners: partners.count, patients: patientTotal, careRequests: total)
    }

    private func insert(_ rows: [[any Encodable & Sendable]], into table: String, columns: [String], chunk: Int)
        async throws
    {
        let parameterLimit = 30_000
        let perStatement = max(1, min(chunk, parameterLimit / columns.count))
        try await store.write { db in
            var start = 0
            while start < rows.count {
                let slice = rows[start..<min(rows.count, start + perStatement)]
                var builder = db.sql.insert(into: table).columns(columns)
                for row in slice {
                    builder = builder.values(row.map { SQLBind($0) as any SQLExpression })
                }
                try await builder.run()
                start += perStatement
            }
        }
    }
}
