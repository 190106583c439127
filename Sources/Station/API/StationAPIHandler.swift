import Foundation
import Platform
import StationAPI
import StationDomain
import Tagged
import Vocabulary

/// Station's API: the generated `APIProtocol`, one method per operation, each checking the caller's scope
/// and partner before it touches the store.
struct StationAPIHandler: APIProtocol {
    let store: StationStore
    /// The number a closed change tells the caller to call (``StationConfig/supportPhone``).
    var supportPhone = StationConfig.defaultSupportPhone

    enum Scope {
        static let patientsRead = "station.patients.read"
        static let patientsWrite = "station.patients.write"
        static let careRequestsRead = "station.care_requests.read"
        static let careRequestsWrite = "station.care_requests.write"
        static let dispatch = "station.dispatch"
        static let eventsRead = "station.events.read"
        static let admin = "station.admin"
        static let triage = "station.triage"
    }

    /// The scope each operation needs; ``ScopeMiddleware`` checks it before the request is parsed.
    static let scopes: [String: String?] = [
        "getPartner": nil, "listMarkets": nil, "getMarketByZip": nil, "getMarketAvailability": nil,
        "listServiceLines": nil,
        "listPartnerCareRequests": Scope.careRequestsRead, "getPartnerCareRequest": Scope.careRequestsRead,
        "getCareRequest": Scope.careRequestsRead, "listPatientCareRequests": Scope.careRequestsRead,
        "createCareRequest": Scope.careRequestsWrite, "changeCareRequestStatus": Scope.dispatch,
        "searchPartnerPatients": Scope.patientsRead, "getPartnerPatient": Scope.patientsRead,
        "getPatient": Scope.patientsRead,
        "createPartnerPatient": Scope.patientsWrite, "createDirectPatient": Scope.patientsWrite,
        "listEvents": Scope.eventsRead,
        "listPartners": Scope.admin, "createPartner": Scope.admin, "createMarket": Scope.admin,
        "updateMarket": Scope.admin, "listClosures": Scope.admin, "addClosure": Scope.admin,
        "removeClosure": Scope.admin, "createServiceLine": Scope.admin,
        "setServiceLineVisitLength": Scope.admin,
        "listCareTeams": Scope.admin, "createCareTeam": Scope.admin, "updateCareTeam": Scope.admin,
        "removeCareTeam": Scope.admin,
        "listTriageQueue": Scope.triage, "recordTriageOutcome": Scope.triage,
        "getDispatchBoard": Scope.dispatch, "setWindowCapacity": Scope.dispatch, "getDayPlan": Scope.dispatch,
        "acceptDayPlan": Scope.dispatch, "extendVisit": Scope.dispatch, "pinVisit": Scope.dispatch,
        "unpinVisit": Scope.dispatch, "planDayAgain": Scope.dispatch, "orderVisit": Scope.dispatch,
        "cancelCareRequest": Scope.careRequestsWrite, "rescheduleCareRequest": Scope.careRequestsWrite,
        "searchPartnerCareRequests": Scope.careRequestsRead,
        "searchPatientsCareRequests": Scope.careRequestsRead,
    ]

    /// The operations that read only reference data, which any valid token may (``TokenReach``).
    static let referenceOperations: Set<String> = [
        "listMarkets", "getMarketByZip", "getMarketAvailability", "listServiceLines",
    ]

    /// The provider's own staff operations, which refuse every partner token (``TokenReach/Operation/staffData``).
    static let staffOperations: Set<String> = [
        "listTriageQueue", "recordTriageOutcome", "getDispatchBoard", "setWindowCapacity", "getDayPlan",
        "acceptDayPlan", "extendVisit", "pinVisit", "unpinVisit", "planDayAgain", "orderVisit", "listPartners",
        "createPartner",
        "createMarket",
        "updateMarket", "listClosures",
        "addClosure",
        "removeClosure", "createServiceLine", "setServiceLineVisitLength", "listCareTeams", "createCareTeam",
        "updateCareTeam", "removeCareTeam",
    ]

    /// The caller, whose scope ``ScopeMiddleware`` has already checked.
    func caller() throws -> Principal {
        try Principal.authenticated()
    }

    /// The partner named in a path, if it exists and the caller may reach it; otherwise 404.
    func reachablePartner(_ raw: String, for principal: Principal) async throws -> PartnerModel {
        let id = try Self.id(raw, PartnerID.self, name: "partnerId")
        guard principal.canReach(partner: id.rawValue), let partner = try await store.partner(id) else {
            throw Problem.notFound("No partner with id \(id.wire).")
        }
        return partner
    }

    static func id<Tag>(_ raw: String, _: Tagged<Tag, UUID>.Type, name: String) throws -> Tagged<Tag, UUID> {
        guard let id = Tagged<Tag, UUID>(wire: raw) else {
            throw Problem.badQuery([
                .init(field: name, message: "must be a UUID such as 5a7e0000-0000-4000-8000-000000000001")
            ])
        }
        return id
    }

    /// The caller's name in the history: a staff user's name (else email) when the token carries it, so that
    /// Console's board and conflicts say who moved a request; otherwise the signed-in user, else the token's
    /// subject (a machine client's id).
    static func actor(_ principal: Principal) -> String {
        func nonEmpty(_ text: String?) -> String? {
            text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        if TokenReach(principal).tenant == .staff, !principal.isMachine,
            let person = nonEmpty(principal.name) ?? nonEmpty(principal.email)
        {
            return person
        }
        return nonEmpty(principal.userID) ?? principal.subject
    }

    static func pageSize(_ limit: Int?) throws -> Int {
        guard let size = PageSize.resolve(limit) else {
            throw Problem.badQuery([.init(field: "limit", message: "must be between 1 and \(PageSize.maximum)")])
        }
        return size
    }

    static func cursor(_ raw: String?, kind: PageCursor.Kind, keys: Int) throws -> PageCursor? {
        guard let raw else { return nil }
        do {
            return try PageCursor(decoding: raw, kind: kind, keyCount: keys)
        } catch {
            throw PageCursor.Invalid().problem
        }
    }
}
