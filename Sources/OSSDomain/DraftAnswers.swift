import Foundation
import Vocabulary

extension Draft {
    /// The answers of each step, as typed (validated by ``StepRules``, never thrown away when wrong).
    package struct Answers: Codable, Sendable, Equatable {
        package var patient: Patient?
        package var reason: Reason?
        package var address: VisitAddress?
        /// The market that visits the address, once Station named it.
        package var market: Market?
        package var window: TimeWindow?
        package var details: Details?
        /// In the patients' app, the person of the account this visit is for (``Person``); their first request
        /// links the patient record it creates to them.
        package var person: PersonID?
        /// The published window a booking link asked for (`/book?slot=…`), kept as its wire text; the window step
        /// preselects it when it is still offered (``LinkedSlot``). Screening runs first all the same.
        package var wantedSlot: SlotReference? {
            get { wantedSlotText.flatMap(SlotReference.init(wire:)) }
            set { wantedSlotText = newValue?.wire }
        }
        private var wantedSlotText: String?

        private enum CodingKeys: String, CodingKey {
            case patient, reason, address, market, window, details, person
            case wantedSlotText = "wantedSlot"
        }

        package init(
            patient: Patient? = nil, reason: Reason? = nil, address: VisitAddress? = nil, market: Market? = nil,
            window: TimeWindow? = nil, details: Details? = nil, person: PersonID? = nil
        ) {
            self.person = person
            self.patient = patient
            self.reason = reason
            self.address = address
            self.market = market
            self.window = window
            self.details = details
        }
    }

    /// Who the visit is for: a patient Station knows (prefilled, linked or created by this draft), or a new one.
    package enum Patient: Codable, Sendable, Equatable {
        case existing(KnownPatient)
        case new(NewPatient)

        package var known: KnownPatient? {
            if case .existing(let known) = self { return known }
            return nil
        }

        // Stored as `{"existing": {…}}` or `{"new": {…}}`.
        private enum CodingKeys: String, CodingKey { case existing, new }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let known = try container.decodeIfPresent(KnownPatient.self, forKey: .existing) {
                self = .existing(known)
            } else {
                self = .new(try container.decode(NewPatient.self, forKey: .new))
            }
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .existing(let known): try container.encode(known, forKey: .existing)
            case .new(let patient): try container.encode(patient, forKey: .new)
            }
        }
    }

    package struct KnownPatient: Codable, Sendable, Equatable {
        package var id: PatientID
        package var name: String
        /// `yyyy-MM-dd`, as Station keeps it; empty when Station could not say.
        package var dateOfBirth: String
        /// The phone typed for a patient this draft created: the requester's number when no callback is given.
        package var phone: String?

        package init(id: PatientID, name: String, dateOfBirth: String, phone: String? = nil) {
            self.id = id
            self.name = name
            self.dateOfBirth = dateOfBirth
            self.phone = phone
        }
    }

    package enum Sex: String, Codable, Sendable, CaseIterable {
        case female, male, other, unknown
    }

    package struct NewPatient: Codable, Sendable, Equatable {
        package var givenName = ""
        package var familyName = ""
        /// As typed; ``StepRules`` asks for `yyyy-MM-dd`.
        package var dateOfBirth = ""
        /// Nil until one of the choices is made.
        package var sex: Sex?
        package var phone = ""

        package init(
            givenName: String = "", familyName: String = "", dateOfBirth: String = "", sex: Sex? = nil,
            phone: String = ""
        ) {
            self.givenName = givenName
            self.familyName = familyName
            self.dateOfBirth = dateOfBirth
            self.sex = sex
            self.phone = phone
        }
    }

    /// Why the visit is needed, and what screening made of the chosen symptoms.
    package struct Reason: Codable, Sendable, Equatable {
        package var chiefComplaint: String
        /// Ids from ``ScreeningRules/symptoms``, sorted.
        package var symptoms: [String]
        package var outcome: ScreeningOutcome
        package var reasonCodes: [String]

        /// The reason with its screening, from the complaint and the symptoms chosen on the checklist.
        package init(chiefComplaint: String, symptoms: Set<String>) {
            let result = ScreeningRules.screen(known: symptoms)
            self.chiefComplaint = chiefComplaint
            self.symptoms = symptoms.sorted()
            self.outcome = result.outcome
            self.reasonCodes = result.reasonCodes
        }
    }

    package struct VisitAddress: Codable, Sendable, Equatable {
        package var line1 = ""
        package var line2 = ""
        package var city = ""
        package var state = ""
        package var zip = ""

        package init(line1: String = "", line2: String = "", city: String = "", state: String = "", zip: String = "") {
            self.line1 = line1
            self.line2 = line2
            self.city = city
            self.state = state
            self.zip = zip
        }
    }

    package struct Market: Codable, Sendable, Equatable {
        package var id: MarketID
        package var name: String
        /// The IANA zone the market keeps its visits in.
        package var timeZone: String

        package init(id: MarketID, name: String, timeZone: String) {
            self.id = id
            self.name = name
            self.timeZone = timeZone
        }
    }

    /// The chosen visit window, with the words the review page shows for it.
    package struct TimeWindow: Codable, Sendable, Equatable {
        package var start: Date
        package var end: Date
        package var label: String

        package init(start: Date, end: Date, label: String) {
            self.start = start
            self.end = end
            self.label = label
        }

        /// How the window step's form posts a window: both ends in ISO 8601, `start|end`.
        package static func formValue(start: Date, end: Date) -> String {
            let iso = ISO8601DateFormatter()
            return iso.string(from: start) + "|" + iso.string(from: end)
        }

        package var formValue: String { Self.formValue(start: start, end: end) }

        /// A window posted as `start|end`, labelled in `zone` (the market's); nil when it is not one.
        package init?(formValue posted: String, zone: TimeZone) {
            let parts = posted.split(separator: "|").map(String.init)
            let iso = ISO8601DateFormatter()
            guard parts.count == 2, let start = iso.date(from: parts[0]), let end = iso.date(from: parts[1]),
                start < end
            else { return nil }
            let label =
                CalendarText.string(start, "EEE, MMM d, h:mm a", zone: zone) + " – "
                + CalendarText.string(end, "h:mm a zzz", zone: zone)
            self.init(start: start, end: end, label: label)
        }
    }

    package struct Contact: Codable, Sendable, Equatable {
        package var name = ""
        package var phone = ""

        package init(name: String = "", phone: String = "") {
            self.name = name
            self.phone = phone
        }
    }

    package struct Details: Codable, Sendable, Equatable {
        package var selfPay = false
        package var payer = ""
        package var memberID = ""
        package var groupNumber = ""
        package var powerOfAttorney = Contact()
        /// Who to call about the visit.
        package var callback = Contact()

        package init(
            selfPay: Bool = false, payer: String = "", memberID: String = "", groupNumber: String = "",
            powerOfAttorney: Contact = Contact(), callback: Contact = Contact()
        ) {
            self.selfPay = selfPay
            self.payer = payer
            self.memberID = memberID
            self.groupNumber = groupNumber
            self.powerOfAttorney = powerOfAttorney
            self.callback = callback
        }
    }
}
