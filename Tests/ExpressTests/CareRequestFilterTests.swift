import ExpressDomain
import Foundation
import Testing
import Vocabulary

@Suite("The care request list's filter and CSV file, as plain rules")
struct CareRequestFilterTests {
    let me = UserID.random()
    let denver = TimeZone(identifier: "America/Denver")!

    func filter(_ input: CareRequestFilter.Input) throws(CareRequestFilter.Invalid) -> CareRequestFilter {
        try CareRequestFilter(input, me: me, zone: denver)
    }

    func messages(_ input: CareRequestFilter.Input) -> [CareRequestFilter.Field: String] {
        do {
            _ = try filter(input)
            return [:]
        } catch {
            return error.messages
        }
    }

    @Test("blank parts filter nothing: the plain list of the tab")
    func blank() throws {
        let plain = try filter(.init(phase: .past, statuses: [" "], market: "", from: " ", to: nil, patientName: "  "))
        #expect(plain == CareRequestFilter(phase: .past, zone: denver))
        #expect(plain.isPlain)
    }

    @Test("every part is read: statuses, created by me, market, days and a name")
    func everyPart() throws {
        let market = MarketID.random()
        let read = try filter(
            .init(
                phase: .current, statuses: ["scheduled", "requested", "scheduled"], mine: true,
                market: market.wire.uppercased(), from: "2026-11-01", to: "2026-11-30", patientName: " Eleanor W "))
        #expect(read.statuses == [.scheduled, .requested])
        #expect(read.createdBy == me && read.market == market && read.patientName == "Eleanor W")
        #expect(read.createdFrom == LocalDate(iso: "2026-11-01") && read.createdTo == LocalDate(iso: "2026-11-30"))
        #expect(!read.isPlain)
    }

    @Test("the days are whole days in the zone: from its first midnight to the midnight after the last")
    func createdRange() throws {
        let read = try filter(.init(phase: .current, from: "2026-11-30", to: "2026-11-30"))
        let range = read.createdRange
        // Denver is UTC−7 in November.
        #expect(range.from == ISO8601DateFormatter().date(from: "2026-11-30T07:00:00Z"))
        #expect(range.before == ISO8601DateFormatter().date(from: "2026-12-01T07:00:00Z"))
        let open = try filter(.init(phase: .current, to: "2026-07-04")).createdRange
        #expect(open.from == nil && open.before == ISO8601DateFormatter().date(from: "2026-07-05T06:00:00Z"))
    }

    @Test("bad input is refused with a sentence per field")
    func refusals() {
        #expect(
            messages(.init(phase: .current, statuses: ["lost"]))[.status]?.contains("“lost” is not a status") == true)
        #expect(
            messages(.init(phase: .current, statuses: ["complete"]))[.status] == "“Complete” requests are under Past.")
        #expect(
            messages(.init(phase: .past, statuses: ["on_route"]))[.status] == "“On the way” requests are under Current."
        )
        #expect(messages(.init(phase: .current, market: "denver"))[.market] != nil)
        #expect(messages(.init(phase: .current, from: "30/11/2026"))[.from]?.contains("YYYY-MM-DD") == true)
        #expect(messages(.init(phase: .current, to: "2026-02-30"))[.to]?.contains("not a date") == true)
        #expect(
            messages(.init(phase: .current, from: "2026-11-30", to: "2026-11-01"))[.to]
                == "The “to” date 2026-11-01 is before the “from” date 2026-11-30.")
        #expect(messages(.init(phase: .current, patientName: String(repeating: "a", count: 101)))[.name] != nil)
        let several = messages(.init(phase: .current, statuses: ["x"], from: "no", to: "never"))
        #expect(Set(several.keys) == [.status, .from, .to])
    }
}

@Suite("The care request CSV file")
struct CareRequestCSVTests {
    let utc = TimeZone(identifier: "UTC")!

    func row(_ name: String, createdBy: String = "Sam Scheduler") -> CareRequestCSV.Row {
        let created = Date(timeIntervalSince1970: 1_796_000_000)
        return CareRequestCSV.Row(
            request: CareRequestSummary(
                id: CareRequestID(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!), patientID: .random(),
                patientName: name, status: .scheduled, serviceLine: "Acute care", market: "Denver",
                source: .ossPartner, createdAt: created,
                timeWindow: TimeWindow(start: created.addingTimeInterval(3600), end: created.addingTimeInterval(7200))),
            createdBy: createdBy)
    }

    @Test("ids, status, dates, window, service line, market, source and creator; names only when asked")
    func columns() {
        let plain = CareRequestCSV(includeNames: false, zone: utc).text([row("Eleanor Whitfield")], cut: false)
        #expect(
            plain
                == "Care request ID,Status,Created,Visit window start,Visit window end,Service line,Market,Source,Created by\r\n"
                + "00000000-0000-0000-0000-000000000001,Scheduled,2026-11-30T00:53:20Z,2026-11-30T01:53:20Z,"
                + "2026-11-30T02:53:20Z,Acute care,Denver,Online (partner),Sam Scheduler\r\n")
        let named = CareRequestCSV(includeNames: true, zone: utc).text([row("Eleanor Whitfield")], cut: false)
        #expect(named.hasPrefix("Care request ID,Patient,Status,"))
        #expect(named.contains("00000000-0000-0000-0000-000000000001,Eleanor Whitfield,Scheduled,"))
    }

    @Test("a cell a spreadsheet would run as a formula stays text; commas, quotes and line breaks are quoted")
    func injection() {
        for formula in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            #expect(CareRequestCSV.cell(formula).hasPrefix("'") || CareRequestCSV.cell(formula).hasPrefix("\"'"))
        }
        #expect(CareRequestCSV.cell("=1+1") == "'=1+1")
        #expect(CareRequestCSV.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CareRequestCSV.cell("Smith, Jo") == "\"Smith, Jo\"")
        #expect(CareRequestCSV.cell("two\r\nlines") == "\"two\r\nlines\"")
        #expect(CareRequestCSV.cell("O'Brien") == "O'Brien")
        let file = CareRequestCSV(includeNames: true, zone: utc).text(
            [row("=cmd|' /C calc'!A0", createdBy: "@admin")], cut: false)
        #expect(file.contains(",'=cmd|' /C calc'!A0,") && file.contains(",'@admin\r\n"))
    }

    @Test("a file cut at the cap says so in its last line")
    func cut() {
        let file = CareRequestCSV(includeNames: false, zone: utc).text([row("A"), row("B")], cut: true)
        let lines = file.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 4)
        #expect(
            lines.last == "Only the first 2 care requests are in this file. Narrow the filter to download the rest.")
    }
}
