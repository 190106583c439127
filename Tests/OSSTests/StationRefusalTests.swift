import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import OSS

/// When Station refuses an answer, the person sees which one and why, on its step, with the draft kept; and OSS
/// never invents a callback number.
@Suite("Station's refusals in the flow")
struct StationRefusalTests {
    typealias Harness = OSSHarness

    @Test("a birth date Station refuses brings back the patient step with the field marked, nothing lost")
    func patientRefused() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            oss.station.stub {
                $0.createPatient = { _, _ in
                    throw StationRefusal(
                        status: 422, detail: "invalid", fields: ["date_of_birth"], nextWindows: [],
                        messages: ["date_of_birth": "This date of birth is more than 130 years ago."])
                }
            }
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .unprocessableEntity, "\(submit.text.prefix(300))")
            #expect(submit.text.contains("130 years ago") && submit.text.contains("id=\"date_of_birth-error\""))
            #expect(!submit.text.contains("could not reach"))
            #expect(submit.text.contains("Nora") && submit.text.contains("Newcomer"))
            #expect(oss.station.createRequests.isEmpty)
            #expect(
                try await browser.get(draft.replacingOccurrences(of: "/patient", with: "/review")).text.contains(
                    "Submit request"))
        }
    }

    @Test("Station not answering a submit keeps the draft open and says to press Submit again")
    func submitUnavailable() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            oss.station.stub {
                $0.createCareRequest = { _, _ in throw Unavailable(service: "Station", description: "down") }
            }
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .serviceUnavailable)
            #expect(submit.text.contains("press Submit again"))
            #expect(
                try await browser.get(draft.replacingOccurrences(of: "/patient", with: "/review")).text.contains(
                    "Submit request"))
            #expect(try await oss.app.outboxLog.messages(destination: "express", limit: 10).count == 0)
        }
    }

    @Test("with no phone given, the request carries no callback number, not our support line")
    func noInventedPhone() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            let eleanor = HandoffTests.eleanor
            oss.station.stub { $0.partnerPatient = { _, _ in eleanor } }
            oss.policy.stubMaySchedule { _ in PolicyDecision(allowed: true, id: "dec_1", reason: "scheduler") }
            let (browser, draft) = try await oss.newDraft(patient: eleanor.id)
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(base + "/reason", ["chief_complaint": "Cough", "symptom_cough": "on"])
            _ = try await browser.post(
                base + "/location", ["line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"])
            let value = try #require(oss.windowValues(try await browser.get(base + "/window").text).first)
            _ = try await browser.post(base + "/window", ["window": value])
            _ = try await browser.post(base + "/details", [:])
            let submit = try await browser.post(base + "/submit")
            #expect(submit.status == .seeOther, "\(submit.text.prefix(300))")
            let made = try #require(world.made.first?.request)
            #expect(made.patient == eleanor.id)
            #expect(made.requester.phone == nil, "\(made.requester)")
            #expect(made.callbackContact == nil)
        }
    }
}
