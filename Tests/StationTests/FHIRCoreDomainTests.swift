import Foundation
import Testing

@testable import Station

@Suite("FHIR core rules")
struct FHIRCoreDomainTests {
    @Test("a query string decodes in order, + as a space, repeats kept")
    func parsesQuery() {
        let parameters = FHIRRequestParameters.parse(query: "name=mary+ann&_count=2&name=sm%C3%ADth&flag")
        #expect(parameters.map(\.name) == ["name", "_count", "name", "flag"])
        #expect(parameters.map(\.value) == ["mary ann", "2", "smíth", ""])
    }

    @Test("result parameters are taken out; the search keeps its own")
    func splitsResultParameters() throws {
        let asked = try FHIRRequestParameters([
            ("family", "Smith"), ("_count", "2"), ("_cursor", "abc"), ("_elements", "name, birthDate"),
            ("_summary", "false"), ("_format", "application/fhir json"),
        ])
        #expect(asked.search.map(\.name) == ["family"])
        #expect(asked.kept.map(\.name) == ["family", "_elements", "_summary", "_format"])
        #expect(asked.count == 2)
        #expect(asked.cursor == "abc")
        #expect(asked.elements == ["name", "birthDate"])
        #expect(!asked.onlyCount)
        #expect(try FHIRRequestParameters([("_summary", "count")]).onlyCount)
        #expect(try FHIRRequestParameters([]).count == 50)
    }

    @Test("bad result parameters are refused: 400, or 406 for a format other than JSON")
    func refusesBadResultParameters() {
        for count in ["0", "201", "ten", ""] {
            #expect(throws: FHIRRefusal.self) { try FHIRRequestParameters([("_count", count)]) }
        }
        #expect(throws: FHIRRefusal.self) { try FHIRRequestParameters([("_summary", "true")]) }
        #expect(throws: FHIRRefusal.self) { try FHIRRequestParameters([("_elements", "name,")]) }
        #expect(throws: FHIRRefusal.self) { try FHIRRequestParameters([("_elements", "name.family")]) }
        #expect(throws: FHIRRefusal.self) { try FHIRRequestParameters([("_count", "5")], read: true) }
        #expect(throws: FHIRRefusal.self) { try FHIRRequestParameters([("_summary", "count")], read: true) }
        #expect(throws: FHIRRefusal.self) { try FHIRRequestParameters([("name", "x")], read: true) }
        do {
            _ = try FHIRRequestParameters([("_format", "xml")])
            Issue.record("xml was accepted")
        } catch let error as FHIRRefusal {
            #expect(error.status == .notAcceptable)
            #expect(error.code == "not-supported")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("Accept: JSON or anything is fine; XML alone is 406")
    func checksAccept() throws {
        try FHIRRequestParameters.checkAccept([])
        try FHIRRequestParameters.checkAccept(["application/fhir+json"])
        try FHIRRequestParameters.checkAccept(["text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"])
        #expect(throws: FHIRRefusal.self) { try FHIRRequestParameters.checkAccept(["application/fhir+xml"]) }
    }

    @Test("a next link repeats the parameters, then _count and the cursor, percent-encoded")
    func buildsNextLink() {
        let url = BundleLinks.url(
            base: "http://localhost:8082/fhir/r4", type: "Patient",
            parameters: [("name", "mary ann"), ("identifier", "https://x.example/mrn|A/1")], count: 2, cursor: "c+1=")
        #expect(
            url
                == "http://localhost:8082/fhir/r4/Patient?name=mary%20ann&identifier=https%3A%2F%2Fx.example%2Fmrn%7CA%2F1"
                + "&_count=2&_cursor=c%2B1%3D")
    }

    @Test("_elements keeps resourceType, id, meta and the elements asked, and tags the resource SUBSETTED")
    func subsets() {
        let resource: [String: Any] = [
            "resourceType": "Patient", "id": "p1", "meta": ["lastUpdated": "2026-11-30T20:00:00Z"],
            "name": [["family": "Smith"]], "birthDate": "1940-01-01", "gender": "male",
        ]
        let subset = FHIRElements.subset(resource, keeping: ["name"])
        #expect(Set(subset.keys) == ["resourceType", "id", "meta", "name"])
        let meta = subset["meta"] as? [String: Any]
        #expect(meta?["lastUpdated"] as? String == "2026-11-30T20:00:00Z")
        #expect(((meta?["tag"] as? [[String: Any]])?.first)?["code"] as? String == "SUBSETTED")
    }

    @Test("SMART system scopes: v1 read, v2 letters (read needs r, search s), for the type or every type")
    func coversScopes() {
        func covers(_ scopes: Set<String>, _ type: String, _ interaction: FHIRInteraction) -> Bool {
            FHIRAccess.covers(scopes, type: type, interaction: interaction)
        }
        #expect(covers(["system/*.read"], "Patient", .search))
        #expect(covers(["system/Patient.read"], "Patient", .read))
        #expect(!covers(["system/Patient.read"], "ServiceRequest", .read))
        #expect(covers(["system/*.rs"], "Location", .search))
        #expect(covers(["system/Patient.r"], "Patient", .read))
        #expect(!covers(["system/Patient.r"], "Patient", .search))
        #expect(covers(["system/Patient.cruds"], "Patient", .search))
        #expect(!covers(["system/Patient.sr"], "Patient", .read))
        #expect(!covers(["user/*.read", "patient/Patient.read", "station.patients.read"], "Patient", .read))
        #expect(!covers(["system/*.write"], "Patient", .read))
    }
}
