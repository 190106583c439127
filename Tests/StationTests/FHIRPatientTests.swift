import Foundation
import StationDomain
import Testing
import VaporTesting
import Vocabulary

@testable import Station

@Suite("FHIR Patient: read and search of the partner's own patients")
struct FHIRPatientTests {
    @Test("a read shows the partner's patient as FHIR, and the audit records it by id")
    func readsOwnPatient() async throws {
        try await FHIRClient.with { fhir in
            let id = try await fhir.patient("Ada", mrn: "MRN-77")
            let response = try await fhir.get("Patient/\(id.wire)")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "fhir+json")
            let json = try FHIRClient.json(response)
            #expect(json["resourceType"] as? String == "Patient")
            #expect(json["id"] as? String == id.wire)
            #expect(json["gender"] as? String == "male")
            #expect(json["birthDate"] as? String == "1941-05-06")
            let name = (json["name"] as? [[String: Any]])?.first
            #expect(name?["family"] as? String == "Fhircore")
            #expect(name?["given"] as? [String] == ["Ada"])
            let identifier = (json["identifier"] as? [[String: Any]])?.first
            #expect(identifier?["system"] as? String == FHIRSystems.mrn)
            #expect(identifier?["value"] as? String == "MRN-77")
            let organization = (json["managingOrganization"] as? [String: Any])?["reference"] as? String
            #expect(organization == "Organization/\(DemoData.mercy.wire)")

            let audit = try #require(try await fhir.audit().last)
            #expect(audit.action == "fhir.read")
            #expect(audit.outcome == "success")
            #expect(audit.resourceType == "Patient")
            #expect(audit.patientIDs == id.wire)
            #expect(audit.clientID == "ehr-test")
            #expect(audit.partnerID == DemoData.mercy.rawValue)
            #expect(!audit.requestID.isEmpty)
        }
    }

    @Test("another partner's patient is 404 (audited not_found with the id asked) and no search returns it")
    func scopedToPartner() async throws {
        try await FHIRClient.with { fhir in
            let theirs = try await fhir.patient("Bea", of: DemoData.sunrise, mrn: "SUN-1")
            let response = try await fhir.get("Patient/\(theirs.wire)")
            #expect(response.status == .notFound)
            #expect(try FHIRClient.issueCode(response) == "not-found")
            let audit = try #require(try await fhir.audit().last)
            #expect(audit.outcome == "not_found")
            #expect(audit.patientIDs == theirs.wire)
            #expect(audit.resourceID == theirs.wire)

            for query in [
                "_id=\(theirs.wire)", "family=fhircore", "identifier=SUN-1", "name=bea", "birthdate=1941-05-06",
            ] {
                let search = try await fhir.get("Patient?\(query)")
                #expect(search.status == .ok)
                #expect(!(try FHIRClient.page(search).ids.contains(theirs.wire)), "\(query)")
            }
            let sunrise = try await fhir.get(
                "Patient?_id=\(theirs.wire)", token: try await fhir.token(partner: DemoData.sunrise))
            #expect(try FHIRClient.page(sunrise).ids == [theirs.wire])
        }
    }

    @Test("a search pages by name with next links that keep the parameters, to the end, each patient once")
    func pagesWithNextLinks() async throws {
        try await FHIRClient.with { fhir in
            var made: [PatientID] = []
            for given in ["Eve", "Abe", "Dot", "Cal", "Bo"] {
                made.append(try await fhir.patient(given, family: "Pagetest"))
            }
            var response = try await fhir.get("Patient?family=pagetest&_count=2")
            #expect(try FHIRClient.json(response)["total"] as? Int == 5)
            var seen: [String] = []
            var pages = 0
            while true {
                #expect(response.status == .ok)
                let page = try FHIRClient.page(response)
                seen += page.ids
                pages += 1
                guard let next = page.next else { break }
                #expect(next.hasPrefix("\(FHIRClient.base)/Patient?family=pagetest&_count=2&_cursor="))
                response = try await fhir.station.send(
                    .GET, String(next.dropFirst("http://localhost:8082".count)), token: try await fhir.token())
            }
            #expect(pages == 3)
            let expected = [1, 4, 3, 2, 0].map { made[$0].wire } // Abe, Bo, Cal, Dot, Eve
            #expect(seen == expected)
            let searches = try await fhir.audit().filter { $0.action == "fhir.search" }
            #expect(searches.count == 3)
            #expect(searches.allSatisfy { $0.outcome == "success" })
            #expect(searches.flatMap { $0.patientIDs.split(separator: " ").map(String.init) } == expected)
        }
    }

    @Test("name, given, birthdate and identifier (MRN, with or without its system) find the patient")
    func searchParameters() async throws {
        try await FHIRClient.with { fhir in
            let id = try await fhir.patient("Rosalind", family: "Franklinfhir", mrn: "FR-9")
            let mrn = BundleLinks.encode("\(FHIRSystems.mrn)|FR-9")
            for query in [
                "name=rosa", "name=franklinf", "given=ROS&family=frank", "birthdate=1941-05-06&name=franklinfhir",
                "birthdate=eq1941-05-06&given=rosalind", "identifier=FR-9", "identifier=\(mrn)",
            ] {
                #expect(try FHIRClient.page(try await fhir.get("Patient?\(query)")).ids == [id.wire], "\(query)")
            }
            for query in [
                "given=franklin", "identifier=https%3A%2F%2Fother.example%7CFR-9",
                "name=franklinfhir&birthdate=1941-05-07",
            ] {
                #expect(try FHIRClient.page(try await fhir.get("Patient?\(query)")).ids.isEmpty, "\(query)")
            }
        }
    }

    @Test("_summary=count gives the total and no entries")
    func summaryCount() async throws {
        try await FHIRClient.with { fhir in
            for given in ["Ann", "Ben", "Cy"] { try await fhir.patient(given, family: "Counttest") }
            let response = try await fhir.get("Patient?family=counttest&_summary=count")
            #expect(response.status == .ok)
            let json = try FHIRClient.json(response)
            #expect(json["type"] as? String == "searchset")
            #expect(json["total"] as? Int == 3)
            #expect(json["entry"] == nil)
        }
    }

    @Test("_elements keeps only the elements asked (and id, meta) and tags each resource SUBSETTED, in search and read")
    func elements() async throws {
        try await FHIRClient.with { fhir in
            let id = try await fhir.patient("Elle", family: "Elementstest")
            let search = try FHIRClient.json(try await fhir.get("Patient?family=elementstest&_elements=name,gender"))
            let read = try FHIRClient.json(try await fhir.get("Patient/\(id.wire)?_elements=birthDate"))
            let resource = try #require(((search["entry"] as? [[String: Any]])?.first)?["resource"] as? [String: Any])
            #expect(Set(resource.keys) == ["resourceType", "id", "meta", "name", "gender"])
            #expect(Set(read.keys) == ["resourceType", "id", "meta", "birthDate"])
            for json in [resource, read] {
                let tags = (json["meta"] as? [String: Any])?["tag"] as? [[String: Any]]
                #expect(tags?.first?["code"] as? String == "SUBSETTED")
            }
        }
    }

    @Test("_format=xml or Accept: application/fhir+xml is 406; an unknown parameter or a bad value is 400")
    func refusals() async throws {
        try await FHIRClient.with { fhir in
            let xml = try await fhir.get("Patient?_format=xml")
            #expect(xml.status == .notAcceptable)
            #expect(try FHIRClient.issueCode(xml) == "not-supported")
            let accept = try await fhir.get("Patient", headers: [("Accept", "application/fhir+xml")])
            #expect(accept.status == .notAcceptable)
            for query in [
                "address=Denver", "birthdate=gt1940-01-01", "birthdate=1941", "_count=500", "_summary=true",
                "_cursor=junk",
            ] {
                let response = try await fhir.get("Patient?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(try FHIRClient.issueCode(response) == "invalid", "\(query)")
            }
            let unknown = try FHIRClient.json(try await fhir.get("Patient?address=Denver"))
            let diagnostics = ((unknown["issue"] as? [[String: Any]])?.first)?["diagnostics"] as? String
            #expect(diagnostics?.contains("birthdate") == true)
        }
    }

    @Test("POST _search takes form-encoded parameters, keeping names out of the URL")
    func postSearch() async throws {
        try await FHIRClient.with { fhir in
            let id = try await fhir.patient("Posy", family: "Posttest")
            let response = try await fhir.station.app.testing().sendRequest(
                .POST, "/fhir/r4/Patient/_search",
                headers: [
                    "Authorization": "Bearer \(try await fhir.token())",
                    "Content-Type": "application/x-www-form-urlencoded",
                ], body: ByteBuffer(string: "family=posttest&given=posy"))
            #expect(response.status == .ok)
            #expect(try FHIRClient.page(response).ids == [id.wire])
        }
    }
}
