import PolicyDomain
import Testing
import Vocabulary

@Suite("Access rules")
struct AccessRulesTests {
    static let sunrise = PartnerID.random()
    static let mercy = PartnerID.random()

    static func partnerUser(_ role: PartnerRole, partner: PartnerID = sunrise) -> Actor {
        Actor(tenant: .express, userID: "u-\(role)", partnerID: partner, partnerRoles: [role])
    }

    static let sunrisePatient = Resource(kind: .patient, id: "p1", partnerID: sunrise)
    static let mercyPatient = Resource(kind: .patient, id: "p2", partnerID: mercy)
    static let directPatient = Resource(kind: .patient, id: "p3", partnerID: nil, ownerUserID: "pat-1")

    @Test(
        "the rule table",
        arguments: [
            // Partner users: own partner only; viewers read; admins and schedulers schedule; admins manage users.
            (partnerUser(.scheduler), Action.read, sunrisePatient, true),
            (partnerUser(.viewer), .read, sunrisePatient, true),
            (partnerUser(.viewer), .schedule, sunrisePatient, false),
            (partnerUser(.viewer), .create, Resource(kind: .careRequest, partnerID: sunrise), false),
            (partnerUser(.scheduler), .schedule, sunrisePatient, true),
            (partnerUser(.admin), .create, Resource(kind: .careRequest, partnerID: sunrise), true),
            (partnerUser(.admin), .schedule, mercyPatient, false),
            (partnerUser(.scheduler), .read, mercyPatient, false),
            (partnerUser(.scheduler), .read, directPatient, false),
            (partnerUser(.scheduler), .manage, Resource(kind: .partnerUsers, partnerID: sunrise), false),
            (partnerUser(.admin), .manage, Resource(kind: .partnerUsers, partnerID: sunrise), true),
            (partnerUser(.admin), .manage, Resource(kind: .partnerUsers, partnerID: mercy), false),
            (partnerUser(.admin), .dispatch, Resource(kind: .careRequest, partnerID: sunrise), false),
            // Changing or cancelling a request: its partner's admins and schedulers, never viewers or others.
            (partnerUser(.scheduler), .update, Resource(kind: .careRequest, partnerID: sunrise), true),
            (partnerUser(.admin), .update, Resource(kind: .careRequest, partnerID: sunrise), true),
            (partnerUser(.viewer), .update, Resource(kind: .careRequest, partnerID: sunrise), false),
            (partnerUser(.scheduler), .update, Resource(kind: .careRequest, partnerID: mercy), false),
            (Actor(tenant: .express, userID: "u", partnerID: sunrise), .read, sunrisePatient, false),
            (
                Actor(tenant: .express, userID: "u", partnerID: sunrise, staffRoles: [.dispatcher]), .read,
                sunrisePatient, false
            ),
            (
                Actor(tenant: .express, userID: "u", partnerID: nil, partnerRoles: [.admin]), .read, sunrisePatient,
                false
            ),
            // Patients: their own record only.
            (Actor(tenant: .patients, userID: "pat-1"), .schedule, directPatient, true),
            (Actor(tenant: .patients, userID: "pat-2"), .read, directPatient, false),
            (Actor(tenant: .patients, userID: "pat-1"), .read, sunrisePatient, false),
            (Actor(tenant: .patients, userID: "pat-1"), .dispatch, directPatient, false),
            // Staff: dispatchers handle care requests.
            (
                Actor(tenant: .staff, userID: "d", staffRoles: [.dispatcher]), .dispatch,
                Resource(kind: .careRequest, partnerID: sunrise), true
            ),
            (Actor(tenant: .staff, userID: "n", staffRoles: [.nurse]), .read, sunrisePatient, true),
            (Actor(tenant: .staff, userID: "d"), .read, sunrisePatient, false),
            (Actor(tenant: .staff, userID: "a", partnerRoles: [.admin]), .read, sunrisePatient, false),
            // Operations admins set up partners and markets; nothing else, and no one else does.
            (
                Actor(tenant: .staff, userID: "o", staffRoles: [.operationsAdmin]), .manage, Resource(kind: .partner),
                true
            ),
            (
                Actor(tenant: .staff, userID: "o", staffRoles: [.operationsAdmin]), .manage, Resource(kind: .market),
                true
            ),
            (Actor(tenant: .staff, userID: "o", staffRoles: [.operationsAdmin]), .read, sunrisePatient, false),
            (
                Actor(tenant: .staff, userID: "o", staffRoles: [.operationsAdmin]), .dispatch,
                Resource(kind: .careRequest, partnerID: sunrise), false
            ),
            (Actor(tenant: .staff, userID: "d", staffRoles: [.dispatcher]), .manage, Resource(kind: .market), false),
            (Actor(tenant: .staff, userID: "n", staffRoles: [.nurse]), .manage, Resource(kind: .partner), false),
            (
                Actor(tenant: .staff, userID: "on", staffRoles: [.operationsAdmin, .nurse]), .read, sunrisePatient,
                true
            ),
            (Actor(tenant: .staff, userID: "d"), .manage, Resource(kind: .partner), false),
            (partnerUser(.admin), .manage, Resource(kind: .partner, partnerID: sunrise), false),
            (partnerUser(.admin), .manage, Resource(kind: .market), false),
            (Actor(tenant: .patients, userID: "pat-1"), .read, Resource(kind: .market, ownerUserID: "pat-1"), false),
            (Actor(tenant: .patients, userID: "pat-1"), .manage, Resource(kind: .partner), false),
        ])
    func table(actor: Actor, action: Action, resource: Resource, allowed: Bool) {
        let verdict = AccessRules.decide(actor, action, resource)
        #expect(verdict.allowed == allowed, "\(verdict.reason)")
        #expect(!verdict.reason.isEmpty)
    }
}
