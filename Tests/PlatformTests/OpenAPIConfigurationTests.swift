import Foundation
import Testing

@testable import Platform

@Suite("API dates")
struct OpenAPIConfigurationTests {
    let transcoder = RFC3339DateTranscoder()
    let instant = Date(timeIntervalSince1970: 1_795_978_800) // 2026-11-29T19:00:00Z

    @Test("dates go out in UTC without fractional seconds")
    func encode() throws {
        #expect(try transcoder.encode(instant) == "2026-11-29T19:00:00Z")
        #expect(try transcoder.encode(instant.addingTimeInterval(0.25)) == "2026-11-29T19:00:00Z")
    }

    @Test("dates come in with or without fractional seconds and with any offset; anything else is refused")
    func decode() throws {
        #expect(try transcoder.decode("2026-11-29T19:00:00Z") == instant)
        #expect(try transcoder.decode("2026-11-29T12:00:00-07:00") == instant)
        #expect(abs(try transcoder.decode("2026-11-29T19:00:00.250Z").timeIntervalSince(instant) - 0.25) < 0.001)
        for bad in ["", "yesterday", "2026-11-29", "2026-13-29T19:00:00Z"] {
            #expect(throws: (any Error).self) { try transcoder.decode(bad) }
        }
    }
}
