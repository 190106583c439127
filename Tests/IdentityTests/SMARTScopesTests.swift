import IdentityDomain
import Testing
import Vocabulary

/// SMART on FHIR scopes: which scope covers which, in v1 and v2 syntax, without a server.
@Suite("SMART scopes")
struct SMARTScopesTests {
    @Test(
        "system/*.read covers every type's read and search, in v1 and v2 letters",
        arguments: [
            "system/*.read", "system/Patient.read", "system/ServiceRequest.read", "system/Patient.rs",
            "system/Patient.r", "system/Appointment.s", "system/*.rs",
        ])
    func readCovers(requested: String) {
        #expect(SMARTScopes.grant(requested: requested, allowed: ["system/*.read"]) == .granted([requested]))
    }

    @Test(
        "system/*.read does not cover writing, another context, or what is not a SMART scope",
        arguments: [
            "system/*.write", "system/Patient.cruds", "system/Patient.c", "system/*.*", "user/Patient.read",
            "patient/*.read", "openid", "station.patients.read", "system/patient.read", "system/Patient.sr",
            "system/Patient.", "system/.read",
        ])
    func readDoesNotCover(requested: String) {
        #expect(SMARTScopes.grant(requested: requested, allowed: ["system/*.read"]) == .refused([requested]))
    }

    @Test("a type-specific scope covers only its own type")
    func typeSpecific() {
        let allowed = ["system/Patient.read"]
        #expect(SMARTScopes.grant(requested: "system/Patient.rs", allowed: allowed) == .granted(["system/Patient.rs"]))
        #expect(
            SMARTScopes.grant(requested: "system/Patient.read system/Location.read", allowed: allowed)
                == .refused(["system/Location.read"]))
        #expect(SMARTScopes.grant(requested: "system/*.read", allowed: allowed) == .refused(["system/*.read"]))
    }

    @Test("nothing asked for gives every allowed scope; repeats are granted once, in the order asked")
    func defaultsAndRepeats() {
        #expect(SMARTScopes.grant(requested: nil, allowed: ["system/*.read"]) == .granted(["system/*.read"]))
        #expect(SMARTScopes.grant(requested: "  ", allowed: ["system/*.read"]) == .granted(["system/*.read"]))
        #expect(
            SMARTScopes.grant(
                requested: "system/Patient.rs system/*.read system/Patient.rs", allowed: ["system/*.read"])
                == .granted(["system/Patient.rs", "system/*.read"]))
    }

    @Test("v2 permissions are letters of cruds in order; v1 read is r and s")
    func parsing() throws {
        let v2 = try #require(SMARTScope("system/Observation.rs"))
        let v1 = try #require(SMARTScope("system/Observation.read"))
        #expect(v1.permissions == v2.permissions)
        #expect(v2.context == .system && v2.resourceType == "Observation")
        #expect(SMARTScope("system/Observation.sr") == nil)
        #expect(SMARTScope("system/Observation.rr") == nil)
        #expect(SMARTScope("system/Observation.x") == nil)
        #expect(SMARTScope("launch/Patient.read") == nil)
    }
}
