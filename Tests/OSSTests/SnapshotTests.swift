import Foundation
import TestSupport
import Testing
import Vapor

@testable import OSS

/// What OSS's users see, exactly: the first onboarding step after a handoff. A change is a visible diff in
/// `Resources/Snapshots` (re-record with `SNAPSHOT_RECORD=1`).
@Suite("OSS's pages")
struct SnapshotTests {
    @Test("the first onboarding step of a partner draft")
    func patientStep() async throws {
        try await OSSHarness.with { oss in
            let (browser, draft) = try await oss.newDraft()
            expectSnapshot(try await browser.get(draft), named: "partner-patient-step.html")
        }
    }
}
