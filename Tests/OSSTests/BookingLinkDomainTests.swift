import Foundation
import OSSDomain
import Testing
import Vocabulary

/// What the window step makes of a booking link's window, without a server.
@Suite("Booking link rules")
struct BookingLinkDomainTests {
    static let denver = MarketID.random(), boulder = MarketID.random()
    static let zone = TimeZone(identifier: "America/Denver")!
    /// Tuesday, December 1, 2026, 8:00 AM in Denver.
    static let start = Date(timeIntervalSince1970: 1_796_137_200)
    static let wanted = SlotReference(market: denver, start: start)
    static let window = DateInterval(start: start, duration: 7200)
    static let later = DateInterval(start: start.addingTimeInterval(7200), duration: 7200)

    @Test("offered with room in the link's market: selected, with the sentence the page shows")
    func selected() {
        let linked = LinkedSlot(
            wanted: Self.wanted, market: Self.denver, chosen: nil, offered: [Self.later, Self.window])
        #expect(linked == .selected(Self.window))
        #expect(linked?.note(zone: Self.zone) == "The time from your link is selected: Tue, Dec 1, 8:00 AM – 10:00 AM.")
    }

    @Test("not offered with room: no longer available")
    func unavailable() {
        let linked = LinkedSlot(wanted: Self.wanted, market: Self.denver, chosen: nil, offered: [Self.later])
        #expect(linked == .unavailable)
        #expect(linked?.note(zone: Self.zone) == "The time from your link is no longer available. Choose another time.")
    }

    @Test("another market than the address's: another area, whatever it offers")
    func otherArea() {
        let linked = LinkedSlot(wanted: Self.wanted, market: Self.boulder, chosen: nil, offered: [Self.window])
        #expect(linked == .otherArea)
        #expect(
            linked?.note(zone: Self.zone)
                == "The time from your link is in another area than this address. Choose a time below.")
    }

    @Test("nothing to say without a link, without a market yet, or once the person chose another window")
    func nothing() {
        let other = Draft.TimeWindow(start: Self.later.start, end: Self.later.end, label: "")
        let same = Draft.TimeWindow(start: Self.start, end: Self.window.end, label: "")
        #expect(LinkedSlot(wanted: nil, market: Self.denver, chosen: nil, offered: [Self.window]) == nil)
        #expect(LinkedSlot(wanted: Self.wanted, market: nil, chosen: nil, offered: [Self.window]) == nil)
        #expect(LinkedSlot(wanted: Self.wanted, market: Self.denver, chosen: other, offered: [Self.window]) == nil)
        #expect(LinkedSlot(wanted: Self.wanted, market: Self.denver, chosen: same, offered: []) == .unavailable)
    }

    @Test("the picker shows a week, or through the link's day in its market, never past the published two weeks")
    func pickerEnd() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.zone
        let today = Self.start.addingTimeInterval(-3 * 86_400)
        func day(_ date: Date) -> DateComponents { calendar.dateComponents([.year, .month, .day], from: date) }
        func end(_ slot: SlotReference?) -> DateComponents {
            day(LinkedSlot.pickerEnd(today: today, wanted: slot, market: Self.denver, zone: Self.zone))
        }
        let week = day(calendar.date(byAdding: .day, value: 6, to: today)!)
        func slot(_ days: Int, _ market: MarketID = Self.denver) -> SlotReference {
            SlotReference(market: market, start: calendar.date(byAdding: .day, value: days, to: today)!)
        }
        #expect(end(nil) == week)
        #expect(end(slot(2)) == week)
        #expect(end(slot(-1)) == week)
        #expect(end(slot(10)) == day(slot(10).start))
        #expect(end(slot(14)) == day(slot(14).start))
        #expect(end(slot(40)) == day(slot(14).start))
        #expect(end(slot(10, Self.boulder)) == week)
    }

    @Test("a draft keeps the link's slot as its wire text, and reads it back")
    func stored() throws {
        var answers = Draft.Answers()
        answers.wantedSlot = Self.wanted
        let json = try JSONEncoder().encode(answers)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["wantedSlot"] as? String == Self.wanted.wire)
        #expect(try JSONDecoder().decode(Draft.Answers.self, from: json) == answers)
        #expect(try JSONDecoder().decode(Draft.Answers.self, from: Data("{}".utf8)).wantedSlot == nil)
    }
}
