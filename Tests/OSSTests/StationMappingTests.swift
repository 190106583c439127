import Foundation
import OSSDomain
import StationAPI
import Testing
import Vocabulary

@testable import OSS

/// The live Station gateway's mapping at the edge, without a server.
@Suite("Station mapping")
struct StationMappingTests {
    @Test("Station's field errors come back keyed by the form's fields, each with a sentence")
    func refusedFields() throws {
        let problem = Components.Schemas.Problem(
            _type: "about:blank", title: "Invalid", status: 422, detail: "invalid",
            errors: [
                .init(field: "address.zip", message: "is not a ZIP code"),
                .init(field: "date_of_birth", message: "is more than 130 years ago"),
            ])
        let refusal = try #require(LiveStationGateway.refusal(problem, "422") as? StationRefusal)
        #expect(refusal.status == 422)
        #expect(refusal.fields == ["address.zip", "date_of_birth"])
        #expect(
            refusal.messages == [
                "zip": "This zip is not a ZIP code.", "date_of_birth": "This date of birth is more than 130 years ago.",
            ])
    }

    @Test("a refusal that names no field means Station could not be used just now")
    func unnamedRefusal() {
        let problem = Components.Schemas.Problem(_type: "about:blank", title: "Invalid", status: 422)
        #expect(LiveStationGateway.refusal(problem, "422") is Unavailable)
        #expect(LiveStationGateway.refusal(nil, "500") is Unavailable)
    }

    @Test("the care request to create goes out in Station's words; a plain one is not marked synthetic")
    func newCareRequest() throws {
        let screening = try ScreeningRules.screen(["fall_injury"])
        let request = CareRequestToCreate(
            partner: nil, patient: .random(), source: .direct, chiefComplaint: "Rash",
            visitAddress: .init(line1: "2 Colfax Ave", line2: nil, city: "Denver", state: "CO", zip: "80203"),
            requester: .init(name: "Pat", phone: nil, relationship: "Self"), questionnaireVersion: "1",
            screening: screening,
            insurance: .payer(name: "Acme", memberID: "M1", groupNumber: nil), powerOfAttorney: nil,
            callbackContact: nil,
            timeWindow: nil, createdBy: nil, synthetic: false, idempotencyKey: .random())
        let serviceLine = ServiceLineID.random()
        let wire = Components.Schemas.NewCareRequest(request, serviceLine: serviceLine)
        #expect(wire.source == .ossD2m)
        #expect(wire.patientId == request.patient.wire && wire.partnerId == nil && wire.createdByUserId == nil)
        #expect(wire.serviceLineId == serviceLine.wire && wire.screening.questionnaireVersion == "1")
        #expect(wire.screening.outcome == .nurseTriage && wire.screening.reasonCodes == ["fall_injury"])
        #expect(
            wire.screening.answers.additionalProperties == screening.answers
                && screening.answers["fall_injury"] == "yes")
        #expect(wire.insurance == .init(selfPay: false, payer: "Acme", memberId: "M1"))
        #expect(wire.requester.phone == nil)
        #expect(wire.synthetic == nil)
    }

    @Test("an id from Station that is not a UUID is Station being unavailable, not a trap")
    func malformedID() {
        let market = Components.Schemas.Market(
            id: "not-a-uuid", name: "Denver", state: "CO", timeZone: "America/Denver", zipCodes: [],
            opensAt: "08:00", closesAt: "20:00", windowMinutes: 120, capacityPerWindow: 4, roadFactor: 1.3,
            averageSpeedMph: 25)
        #expect(throws: Unavailable.self) { try Market(market) }
    }
}
