import ExpressDomain
import Fluent
import Foundation
import Logging
import Platform
import TestSupport
import Testing
import Vocabulary

@testable import Express

/// The use cases the pages and the partner API share, called as either edge calls them.
@Suite("Express use cases")
struct UseCaseTests {
    typealias Harness = ExpressHarness

    /// What an edge gives a use case for `email`'s user.
    static func context(_ express: Harness, _ email: String, channel: UseCaseContext.Channel = .pages) async throws
        -> UseCaseContext
    {
        let user = try #require(try await express.service.user(email: email))
        return UseCaseContext(
            user: ActingUser(id: user.userID, partner: user.partner, role: user.roleValue, synthetic: user.synthetic),
            channel: channel, requestID: "request-1", client: "192.0.2.1", logger: Logger(label: "test"))
    }

    static func user(_ express: Harness, _ email: String) async throws -> UserModel {
        try #require(try await express.service.user(email: email))
    }

    @Test(
        "a refused role change stores neither the change nor its audit row; an allowed one stores both, with its origin"
    )
    func roleChangeAndAuditTogether() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await Self.context(express, "admin@sunrise.example")
            let changeRole = ChangeRole(service: express.service)
            await #expect(throws: TeamRefusal.lastAdmin) {
                try await changeRole(admin, user: admin.user.id, to: .viewer)
            }
            await #expect(throws: TeamRefusal.lastAdmin) {
                try await DeactivateUser(service: express.service)(admin, user: admin.user.id)
            }
            #expect(try await express.audit("users.change_role").isEmpty)
            #expect(try await express.audit("users.deactivate").isEmpty)
            #expect(try await Self.user(express, "admin@sunrise.example").role == "admin")

            let scheduler = try await Self.user(express, "scheduler@sunrise.example")
            _ = try await changeRole(admin, user: scheduler.userID, to: .viewer)
            #expect(try await Self.user(express, "scheduler@sunrise.example").role == "viewer")
            let event = try #require(try await express.audit("users.change_role").first)
            #expect(event.detail == "\(scheduler.userID.wire) scheduler -> viewer")
            #expect(event.userID == admin.user.id.rawValue && event.partnerID == DemoPartners.sunriseID)
            #expect(event.requestID == "request-1" && event.clientAddress == "192.0.2.1")
        }
    }

    @Test("only an admin changes users, and only their own partner's")
    func whoMayChangeWhom() async throws {
        try await Harness.with(station: .none) { express in
            let viewer = try await Self.user(express, "viewer@sunrise.example")
            let scheduler = try await Self.context(express, "scheduler@sunrise.example")
            let mercyAdmin = try await Self.context(express, "admin@mercy.example")
            await #expect(throws: TeamRefusal.notAnAdmin) {
                try await ChangeRole(service: express.service)(scheduler, user: viewer.userID, to: .admin)
            }
            await #expect(throws: TeamRefusal.notOnTeam) {
                try await DeactivateUser(service: express.service)(mercyAdmin, user: viewer.userID)
            }
            let after = try await Self.user(express, "viewer@sunrise.example")
            #expect(after.role == "viewer" && after.active)
        }
    }

    @Test("no permit to start a care request for a viewer, nor where online scheduling is off; nothing is pushed")
    func handoffPermits() async throws {
        try await Harness.with(station: .none) { express in
            let start = StartHandoff(service: express.service)
            await #expect(throws: UseCaseRefusal.notAllowed) {
                try await start.permit(Self.context(express, "viewer@sunrise.example").user)
            }
            await #expect(throws: UseCaseRefusal.onlineSchedulingOff) {
                try await start.permit(Self.context(express, "admin@mercy.example").user)
            }
            #expect(express.handoffs.pushed.isEmpty)
        }
    }

    @Test("a handoff started from the partner API is pushed, logged and audited as one from the pages")
    func handoffFromEitherEdge() async throws {
        try await Harness.with(station: .none) { express in
            express.handoffs.stub(.accept)
            let start = StartHandoff(service: express.service)
            let patient = PatientID.random()
            for channel in [UseCaseContext.Channel.pages, .partnerAPI] {
                let context = try await Self.context(express, "scheduler@sunrise.example", channel: channel)
                _ = try await start(try await start.permit(context.user), patient: patient, context: context)
            }
            let scheduler = try await Self.user(express, "scheduler@sunrise.example")
            #expect(express.handoffs.pushed.map(\.user) == [scheduler.userID, scheduler.userID])
            #expect(
                express.handoffs.pushed.allSatisfy {
                    $0.patient == patient && $0.returnURL.hasSuffix("/care-requests/returned")
                })
            let events = try await express.audit("care_request.start")
            #expect(
                events.count == 2
                    && events.allSatisfy { $0.outcome == "handoff" && $0.patientIDs == " \(patient.wire) " })
        }
    }

    @Test(
        "an address that is not an id: audited as not found from a page, refused unaudited from the API; Station is not asked"
    )
    func malformedAddress() async throws {
        try await Harness.with(station: .none) { express in
            let show = ShowCareRequest(service: express.service)
            let page = try await Self.context(express, "scheduler@sunrise.example")
            await #expect(throws: UseCaseRefusal.notFound) { try await show(page, CareRequestAddress("not-an-id")) }
            let event = try #require(try await express.audit("care_request.view").first)
            #expect(event.outcome == "not_found" && event.careRequestIDs == " not-an-id ")
            let api = try await Self.context(express, "scheduler@sunrise.example", channel: .partnerAPI)
            await #expect(throws: UseCaseRefusal.malformedID) { try await show(api, CareRequestAddress("not-an-id")) }
            #expect(try await express.audit("api.care_request.view").isEmpty)
        }
    }

    @Test("setting a flag stores the switch and its audit row together, and answers the features in effect")
    func setFlag() async throws {
        try await Harness.with(station: .none) { express in
            let sunrise = PartnerID(rawValue: DemoPartners.sunriseID)
            let inEffect = try await SetFeatureFlag(service: express.service)(
                .stationCareRequests, enabled: false, partner: sunrise,
                origin: .commandLine())
            #expect(inEffect.isEmpty)
            let event = try #require(try await express.audit("flags.set").first)
            #expect(event.partnerID == DemoPartners.sunriseID && event.userID == nil && event.requestID == "cli")
            #expect(event.detail == "station_care_requests=false")
        }
    }

    @Test(
        "a request's creator is the one OSS's callback recorded, else the user Station recorded; never another partner's"
    )
    func creators() async throws {
        try await Harness.with(station: .none) { express in
            let sunrise = PartnerID(rawValue: DemoPartners.sunriseID)
            let scheduler = try await Self.user(express, "scheduler@sunrise.example")
            let admin = try await Self.user(express, "admin@sunrise.example")
            let mercyAdmin = try await Self.user(express, "admin@mercy.example")
            let (called, recorded, foreign, unknown) = (
                CareRequestID.random(), CareRequestID.random(), CareRequestID.random(), CareRequestID.random()
            )
            try await express.service.link(careRequest: called, partner: sunrise, user: scheduler.userID)
            try await express.service.link(careRequest: foreign, partner: sunrise, user: mercyAdmin.userID)
            let creators = try await express.service.creators(
                of: [
                    (called, admin.userID), (recorded, admin.userID), (foreign, nil), (unknown, nil),
                ], partner: sunrise)
            #expect(creators[called] == .init(id: scheduler.userID, name: scheduler.name))
            #expect(creators[recorded] == .init(id: admin.userID, name: admin.name))
            #expect(creators[foreign] == nil && creators[unknown] == nil && creators.count == 2)
            #expect(ExpressService.createdBy(creators[called], viewer: scheduler.userID) == "You")
            #expect(ExpressService.createdBy(creators[recorded], viewer: scheduler.userID) == admin.name)
            #expect(try await express.service.creators(of: [], partner: sunrise).isEmpty)
        }
    }
}
