import PolicyAPI
import PolicyDomain
import Testing
import Vocabulary

@testable import Policy

/// The API edge turns a principal's wire strings into the rules' typed actor, without a server.
@Suite("Principal mapping")
struct PrincipalMappingTests {
    static let sunrise = "5a7e0000-0000-4000-8000-000000000001"

    static func actor(
        _ tenant: Components.Schemas.Principal.TenantPayload, roles: [String]?,
        partner: String? = sunrise
    ) throws -> Actor {
        try Actor(Components.Schemas.Principal(userId: "u-1", partnerId: partner, roles: roles, tenant: tenant))
    }

    @Test("role names become typed partner and staff roles")
    func knownRoles() throws {
        let partnerUser = try Self.actor(.express, roles: ["scheduler", "viewer"])
        #expect(partnerUser.tenant == .express)
        #expect(partnerUser.partnerID == PartnerID(wire: Self.sunrise))
        #expect(partnerUser.partnerRoles == [.scheduler, .viewer])
        #expect(partnerUser.staffRoles.isEmpty)

        let staff = try Self.actor(.staff, roles: ["dispatcher", "nurse"], partner: nil)
        #expect(staff.staffRoles == [.dispatcher, .nurse])
        #expect(staff.partnerRoles.isEmpty)
        #expect(staff.partnerID == nil)
    }

    @Test("a role name no role has is dropped and grants nothing")
    func unknownRole() throws {
        let guest = try Self.actor(.express, roles: ["guest", "ADMIN", ""])
        #expect(guest.partnerRoles.isEmpty && guest.staffRoles.isEmpty)
        let verdict = AccessRules.decide(
            guest, .read, Resource(kind: .patient, partnerID: PartnerID(wire: Self.sunrise)))
        #expect(!verdict.allowed)
        #expect(verdict.reason == "partner user without a partner role")

        let mixed = try Self.actor(.express, roles: ["guest", "admin"])
        #expect(mixed.partnerRoles == [.admin])
        #expect(try Self.actor(.express, roles: nil).partnerRoles.isEmpty)
    }

    @Test("a partner id that is not a UUID is a validation error, never a partner")
    func badPartnerID() {
        #expect(throws: (any Error).self) { try Self.actor(.express, roles: ["admin"], partner: "sunrise") }
        #expect(throws: (any Error).self) {
            try Resource(Components.Schemas.Resource(_type: .patient, partnerId: "not-a-uuid"))
        }
    }
}
