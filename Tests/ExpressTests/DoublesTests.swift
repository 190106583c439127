import ExpressDomain
import Foundation
import TestSupport
import Testing
import Vocabulary

/// The doubles standing in for Station, OSS and Identity fail the test on a call it did not stub, whether the
/// test calls them or a page does on its behalf.
@Suite("Express's test doubles")
struct DoublesTests {
    @Test("Station, OSS and Identity's doubles each record a failure for a call the test did not stub")
    func unstubbedCallsFail() async {
        await withKnownIssue("Station was asked about a partner it holds nothing for") {
            _ = try? await FakeStation().careRequests(partner: .random(), phase: .current, cursor: nil, limit: 5)
        } matching: {
            UnexpectedCalls.reported($0)
        }
        await withKnownIssue("Station was asked for markets") {
            _ = try? await FakeStation().markets()
        } matching: {
            UnexpectedCalls.reported($0)
        }
        await withKnownIssue("OSS was asked for a handoff") {
            _ = try? await FakeHandoffs().push(
                HandoffRequest(partner: .random(), user: .random(), patient: nil, returnURL: "/"))
        } matching: {
            UnexpectedCalls.reported($0)
        }
        await withKnownIssue("Identity was asked for an account") {
            _ = try? await FakeAccounts().createAccount(
                email: "someone@example.com", name: "Someone", organization: "Sunrise", invitedBy: "Ada")
        } matching: {
            UnexpectedCalls.reported($0)
        }
        await withKnownIssue("Identity was asked to register an EHR connection") {
            _ = try? await FakeBackendClients().register(
                partner: .random(), name: "Epic", publicKey: "key", registeredBy: .random())
        } matching: {
            UnexpectedCalls.reported($0)
        }
    }

    @Test("a page that asks Station what the test did not stub fails the test")
    func unstubbedCallFromAPage() async throws {
        try await withKnownIssue("the list page asked an empty Station") {
            try await ExpressHarness.with(station: .none) { express in
                _ = try await express.browser("scheduler@sunrise.example").get("/care-requests")
            }
        } matching: {
            UnexpectedCalls.reported($0)
        }
    }

    @Test("the fake Station pages as Station does, and refuses a cursor it did not hand out")
    func fakeStationPages() async throws {
        let station = FakeStation.demo()
        let first = try await station.careRequests(partner: StationDemo.sunrise, phase: .current, cursor: nil, limit: 5)
        #expect(first.items.count == 5 && first.nextCursor != nil)
        let rest = try await station.careRequests(
            partner: StationDemo.sunrise, phase: .current, cursor: first.nextCursor, limit: 100)
        #expect(rest.items.count == 7 && rest.nextCursor == nil)
        #expect(Set(first.items.map(\.id)).isDisjoint(with: rest.items.map(\.id)))
        await #expect(throws: DownstreamBadRequest.self) {
            _ = try await station.searchPatients(partner: StationDemo.sunrise, query: "e", cursor: "forged", limit: 5)
        }
    }
}
