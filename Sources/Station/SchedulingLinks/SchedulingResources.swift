// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own: `resourceType`, `extension`.)

import Foundation
import StationDomain
import Vocabulary

/// SMART Scheduling Links' extension URLs (http://fhir-registry.smarthealthit.org).
enum SchedulingLinksExtension {
    static let bookingDeepLink = "http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link"
    static let bookingPhone = "http://fhir-registry.smarthealthit.org/StructureDefinition/booking-phone"
    static let slotCapacity = "http://fhir-registry.smarthealthit.org/StructureDefinition/slot-capacity"
}

/// One service line at one market: the calendar its slots belong to.
struct ScheduleResource: FHIRResource, Equatable {
    let resourceType = "Schedule"
    var id: String
    var meta: FHIRMeta?
    var active = true
    var serviceType: [FHIRCodeableConcept]
    var actor: [FHIRReference]
    var planningHorizon: FHIRPeriod?
    var comment: String?

    init(market: MarketID, line: PublishedServiceLine, horizon: FHIRPeriod?, lastUpdated: Date?) {
        id = Self.id(market: market, line: line)
        meta = lastUpdated.map { FHIRMeta(lastUpdated: FHIRTime.instant($0)) }
        serviceType = [
            FHIRCodeableConcept(
                coding: [FHIRCoding(system: FHIRSystems.serviceLine, code: line.code, display: line.name)],
                text: line.name)
        ]
        actor = [FHIRReference(reference: "Location/\(market.wire)")]
        planningHorizon = horizon
        comment =
            "The market's places in each window are shared by all its service lines: a slot's capacity is the places "
            + "left in that window for any of them."
    }

    /// `<market id>.<service line code, - for _>`: FHIR ids allow no underscore.
    static func id(market: MarketID, line: PublishedServiceLine) -> String { "\(market.wire).\(line.idPart)" }
}

/// A service line as the published availability names it.
struct PublishedServiceLine: Sendable {
    var code: String
    var name: String
    var lastUpdated: Date?

    var idPart: String { code.replacingOccurrences(of: "_", with: "-") }
}

/// One time window of one service line at one market: free (with the places left and how to book) or busy.
struct SlotResource: FHIRResource, Equatable {
    let resourceType = "Slot"
    var id: String
    var meta: FHIRMeta?
    var `extension`: [FHIRExtension]?
    var schedule: FHIRReference
    var status: String
    var start: String
    var end: String

    init(window: PublishedWindow, line: PublishedServiceLine, bookingURL: String, phone: String) {
        id = "\(window.slot.wire).\(line.idPart)"
        meta = FHIRMeta(lastUpdated: FHIRTime.instant(window.lastUpdated))
        schedule = FHIRReference(reference: "Schedule/\(ScheduleResource.id(market: window.slot.market, line: line))")
        status = window.isFree ? "free" : "busy"
        start = FHIRTime.instant(window.slot.start)
        end = FHIRTime.instant(window.end)
        var extensions = [FHIRExtension(url: SchedulingLinksExtension.slotCapacity, valueInteger: window.remaining)]
        if window.isFree {
            extensions.append(
                FHIRExtension(
                    url: SchedulingLinksExtension.bookingDeepLink,
                    valueUrl: "\(bookingURL)/book?slot=\(window.slot.wire)"
                ))
        }
        extensions.append(FHIRExtension(url: SchedulingLinksExtension.bookingPhone, valueString: phone))
        `extension` = extensions
    }
}
