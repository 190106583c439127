import Foundation
import Testing
import Vocabulary

@testable import Platform

@Suite("Ids and dates as text")
struct TextFormsTests {
    @Test("a UUID reads back from its text in either case, as Foundation reads it, and is written lowercase")
    func uuidRoundTrip() {
        for _ in 0..<500 {
            let uuid = UUID()
            #expect(UUID(text: uuid.uuidString) == uuid)
            #expect(UUID(text: uuid.uuidString.lowercased()) == uuid)
            #expect(uuid.lowercasedText == uuid.uuidString.lowercased())
        }
        let fixed = "5A7E0000-0000-4000-8000-00000000abCD"
        #expect(UUID(text: fixed) == UUID(uuidString: fixed))
        #expect(UUID(uuidString: fixed)?.lowercasedText == "5a7e0000-0000-4000-8000-00000000abcd")
        #expect(CareRequestID(wire: fixed)?.wire == "5a7e0000-0000-4000-8000-00000000abcd")
    }

    @Test(
        "what is not a UUID's text is refused, as Foundation refuses it",
        arguments: [
            "", "5a7e0000-0000-4000-8000-00000000000", "5a7e0000-0000-4000-8000-0000000000011",
            "5a7e0000a0000-4000-8000-000000000001", "5a7e00000000-4000-8000-0000000000001",
            "5a7e0000-0000-4000-8000-00000000000g", "{5a7e0000-0000-4000-8000-00000000001}",
            "5a7e0000-0000-4000-8000-0000000000é", "5a7e0000-0000-4000-8000-0000000000０1",
        ])
    func uuidRefused(_ text: String) {
        #expect(UUID(text: text) == nil)
        #expect(UUID(uuidString: text) == nil)
        #expect(CareRequestID(wire: text) == nil)
    }

    /// Foundation's `sscanf` skips a leading space and reads "-1" as a hex group of its own; an id is only its
    /// 36 characters.
    @Test(
        "an id with a space before it or a sign inside it is refused, where Foundation's parser takes it",
        arguments: [" 5a7e0000-0000-4000-8000-00000000001", "5a7e0000-0000-4000-8000-0000000000-1"])
    func uuidStricterThanFoundation(_ text: String) {
        #expect(UUID(uuidString: text) != nil)
        #expect(UUID(text: text) == nil)
        #expect(CareRequestID(wire: text) == nil)
    }

    @Test("a date's text is the formatter's, for each pattern and zone, also when it was made before")
    func dateTexts() throws {
        let denver = try #require(TimeZone(identifier: "America/Denver"))
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let at = Date(timeIntervalSince1970: 1_796_000_000.25)
        for _ in 0..<2 {
            for zone in [denver, tokyo] {
                for pattern in ["EEE, MMM d", "h:mm a", "zzz", "MMM d, yyyy 'at' h:mm a zzz"] {
                    let formatter = DateFormatter()
                    formatter.locale = Locale(identifier: "en_US")
                    formatter.timeZone = zone
                    formatter.dateFormat = pattern
                    #expect(DateText.string(at, pattern, zone: zone) == formatter.string(from: at))
                }
            }
        }
        #expect(DateText.string(at, "h:mm a", zone: denver) != DateText.string(at, "h:mm a", zone: tokyo))
        #expect(
            DateText.string(at, "h:mm a", zone: denver)
                != DateText.string(at.addingTimeInterval(60), "h:mm a", zone: denver))
        #expect(DateText.string(at, "EEEE", zone: denver, locale: "es") == "domingo")
    }
}
