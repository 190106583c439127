import Foundation
import StationDomain
import Testing
import Vocabulary

@Suite("FHIR status mapping")
struct FHIRStatusMappingTests {
    @Test(
        "each status of ours has its ServiceRequest and Appointment status",
        arguments: [
            (CareRequestStatus.pendingTriage, "active", "proposed"), (.requested, "active", "proposed"),
            (.accepted, "active", "pending"), (.scheduled, "active", "booked"), (.onRoute, "active", "booked"),
            (.onScene, "active", "arrived"), (.complete, "completed", "fulfilled"), (.archived, "revoked", "cancelled"),
        ])
    func mapping(status: CareRequestStatus, serviceRequest: String, appointment: String) {
        #expect(FHIRServiceRequestStatus(status).rawValue == serviceRequest)
        #expect(FHIRAppointmentStatus(status).rawValue == appointment)
    }

    @Test("a request has an Appointment only once it has a window or an arrival estimate")
    func appointmentExists() {
        #expect(FHIRAppointmentStatus.of(.requested, hasWindow: false, hasETA: false) == nil)
        #expect(FHIRAppointmentStatus.of(.archived, hasWindow: false, hasETA: false) == nil)
        #expect(FHIRAppointmentStatus.of(.requested, hasWindow: true, hasETA: false) == .proposed)
        #expect(FHIRAppointmentStatus.of(.scheduled, hasWindow: false, hasETA: true) == .booked)
    }

    @Test("the status parameter: commas are any of them, repeated parameters all of them, none asked is nil")
    func search() throws {
        #expect(try FHIRStatusSearch.serviceRequest([]) == nil)
        #expect(
            try FHIRStatusSearch.serviceRequest(["active"])
                == [.pendingTriage, .requested, .accepted, .scheduled, .onRoute, .onScene])
        #expect(try FHIRStatusSearch.serviceRequest(["completed,revoked"]) == [.complete, .archived])
        #expect(try FHIRStatusSearch.serviceRequest(["completed", "revoked"]) == [])
        #expect(try FHIRStatusSearch.serviceRequest(["draft,on-hold,unknown,entered-in-error"]) == [])
        #expect(
            try FHIRStatusSearch.serviceRequest(["http://hl7.org/fhir/request-status|completed"]) == [.complete])
        #expect(try FHIRStatusSearch.appointment(["proposed"]) == [.pendingTriage, .requested])
        #expect(try FHIRStatusSearch.appointment(["booked,arrived"]) == [.scheduled, .onRoute, .onScene])
        #expect(try FHIRStatusSearch.appointment(["noshow"]) == [])
        #expect(throws: FHIRStatusSearch.UnknownCode(code: "requested")) {
            try FHIRStatusSearch.serviceRequest(["active,requested"])
        }
        #expect(throws: FHIRStatusSearch.UnknownCode(code: "active")) { try FHIRStatusSearch.appointment(["active"]) }
    }

    @Test("every one of our statuses is found by exactly one code of each resource")
    func reverseCoversAll() {
        for status in CareRequestStatus.allCases {
            #expect(FHIRServiceRequestStatus.allCases.filter { $0.careRequestStatuses.contains(status) }.count == 1)
            #expect(FHIRAppointmentStatus.allCases.filter { $0.careRequestStatuses.contains(status) }.count == 1)
        }
    }

    @Test(
        "who made a request: a partner user by id, the partner's system, the patient, or our phone line",
        arguments: [
            (CareRequestSource.express, String?("user-9"), CareRequestAuthor.partnerUser("user-9")),
            (.ossPartner, "user-9", .partnerUser("user-9")), (.express, nil, .partner), (.ossPartner, nil, .partner),
            (.ossD2M, nil, .patient), (.phone, nil, .phone),
        ])
    func author(source: CareRequestSource, user: String?, expected: CareRequestAuthor) {
        let author = CareRequestAuthor(source: source, createdByUserID: user)
        #expect(author == expected)
        #expect(author.isPartner == (source == .express || source == .ossPartner))
    }
}

@Suite("FHIR date search parameters")
struct FHIRDateParameterTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("a day is the whole UTC day: eq inside it, gt after it, ge from its start, lt before it, le through it")
    func day() throws {
        let start = Self.date("2026-11-30T00:00:00Z")
        let next = Self.date("2026-12-01T00:00:00Z")
        #expect(try FHIRDateRange.parse("2026-11-30") == FHIRDateRange(from: start, before: next))
        #expect(try FHIRDateRange.parse("eq2026-11-30") == FHIRDateRange(from: start, before: next))
        #expect(try FHIRDateRange.parse("gt2026-11-30") == FHIRDateRange(from: next))
        #expect(try FHIRDateRange.parse("ge2026-11-30") == FHIRDateRange(from: start))
        #expect(try FHIRDateRange.parse("lt2026-11-30") == FHIRDateRange(before: start))
        #expect(try FHIRDateRange.parse("le2026-11-30") == FHIRDateRange(before: next))
    }

    @Test("a year, a month, a minute and a second with a zone are ranges of their precision")
    func precisions() throws {
        #expect(
            try FHIRDateRange.parse("2026")
                == FHIRDateRange(from: Self.date("2026-01-01T00:00:00Z"), before: Self.date("2027-01-01T00:00:00Z")))
        #expect(
            try FHIRDateRange.parse("2026-02")
                == FHIRDateRange(from: Self.date("2026-02-01T00:00:00Z"), before: Self.date("2026-03-01T00:00:00Z")))
        #expect(
            try FHIRDateRange.parse("ge2026-11-30T08:00-07:00")
                == FHIRDateRange(from: Self.date("2026-11-30T15:00:00Z")))
        #expect(
            try FHIRDateRange.parse("2026-11-30T15:00:05Z")
                == FHIRDateRange(from: Self.date("2026-11-30T15:00:05Z"), before: Self.date("2026-11-30T15:00:06Z")))
    }

    @Test("repeated values all hold; a range that holds nothing says so")
    func repeated() throws {
        let range = try #require(try FHIRDateRange.parse(["ge2026-11-01", "lt2026-12-01"]))
        #expect(
            range == FHIRDateRange(from: Self.date("2026-11-01T00:00:00Z"), before: Self.date("2026-12-01T00:00:00Z")))
        #expect(range.contains(Self.date("2026-11-15T12:00:00Z")))
        #expect(!range.contains(Self.date("2026-12-01T00:00:00Z")))
        #expect(try FHIRDateRange.parse(["ge2026-12-01", "lt2026-11-01"])?.isEmpty == true)
        #expect(try FHIRDateRange.parse([String]()) == nil)
    }

    @Test(
        "anything else is refused",
        arguments: [
            "", "yesterday", "ne2026-11-30", "2026-13-01", "2026-02-30",
            "2026-11-30T25:00Z", "2026-11-30T08:00+15:00", "sa2026-11-30", "2026-11-30T08",
        ])
    func invalid(value: String) {
        #expect(throws: FHIRDateRange.Invalid(value: value)) { try FHIRDateRange.parse(value) }
    }
}
