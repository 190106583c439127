import ExpressDomain
import Foundation
import Platform
import Testing
import Vocabulary

@testable import Express

@Suite("Audit export")
struct AuditExportTests {
    @Test("one JSON line per event, keys sorted, ids in their wire form, what is absent written as null")
    func exactLine() async throws {
        try await ExpressHarness.with(station: .none) { express in
            _ = try await SetFeatureFlag(service: express.service)(
                .ossHandoff, enabled: false, partner: .init(rawValue: DemoPartners.mercyID),
                origin: .commandLine())
            let event = try #require(try await express.audit("flags.set").first)
            var lines: [String] = []
            // A stored time read back may round past the stored one, so the window starts a second before it.
            try await ExpressApp.exportAudit(express.app, since: event.at.addingTimeInterval(-1), careRequest: nil) {
                if $0.contains(#""action":"flags.set""#) { lines.append($0) }
            }
            let at = ISO8601DateFormatter().string(from: event.at)
            #expect(
                lines == [
                    #"{"action":"flags.set","at":"\#(at)","care_request_ids":[],"client_address":"cli","detail":"oss_handoff=false","#
                        + #""outcome":"success","partner_id":"\#(PartnerID(rawValue: DemoPartners.mercyID).wire)","patient_ids":[],"#
                        + #""request_id":"cli","user_id":null}"#
                ])
        }
    }
}
