import ConsoleDomain
import Foundation
import StationAPI
import Vocabulary

/// The detail page of one triage request (`triage-detail.leaf`): the screening record, the patient, who asked,
/// the number to call, the claim, and the three outcome forms with whatever the nurse typed.
struct TriageDetailPage: Encodable {
    var summary: TriageSummary
    var screening: Screening
    var patient: Patient
    var requester: Requester
    var callback: Callback?
    var windows: [WindowOption]
    var reasons: [ReasonOption]
    var form: FormState

    struct Screening: Encodable {
        struct Answer: Encodable {
            var question: String
            var answer: String
        }

        var version: String
        var outcome: String
        var reasonCodes: [String]
        var answers: [Answer]
    }

    struct Patient: Encodable {
        var name: String
        var dateOfBirth: String
        var sex: String
        var address: String
        var chiefComplaint: String
        var serviceLine: String
        var market: String
    }

    struct Requester: Encodable {
        /// The partner's name, or "Patient (self)".
        var organization: String
        var person: String
        var relationship: String?
    }

    struct Callback: Encodable {
        var name: String
        var relationship: String?
        var number: String
        var telURL: String?
    }

    struct WindowOption: Encodable {
        var value: String
        var label: String
        var remaining: Int
        var selected: Bool
    }

    struct ReasonOption: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// What the nurse sent last (kept when it was refused) and what was wrong with it.
    struct FormState: Encodable {
        /// `schedule`, `emergency` or `close`: the form that was sent, nil on a first visit.
        var outcome: String?
        var note: String = ""
        /// Station's refusal, in its own words ("That window is full", "Noor Nurse already scheduled it").
        var refusal: String?
        /// When the chosen window was full: the next windows Station says have room.
        var nextWindows: [String] = []
        var noteError: String?
        var windowError: String?
        var reasonError: String?
    }

    init(
        _ request: Components.Schemas.CareRequest, partnerName: String?, summary: TriageSummary,
        windows: [Components.Schemas.TimeWindowAvailability], zone: TimeZone, form: FormState, chosenWindow: String?,
        chosenReason: String?
    ) {
        self.summary = summary
        let screening = request.screening
        self.screening = Screening(
            version: screening.questionnaireVersion, outcome: TriageWording.status(screening.outcome.rawValue),
            reasonCodes: screening.reasonCodes,
            answers: screening.answers.additionalProperties.sorted { $0.key < $1.key }.map {
                Screening.Answer(question: TriageWording.status($0.key), answer: $0.value)
            })
        let address = request.visitAddress
        patient = Patient(
            name: TriageRow.name(request.patient), dateOfBirth: request.patient.dateOfBirth,
            sex: TriageWording.status(request.patient.sex.rawValue),
            address: [address.line1, address.line2, "\(address.city), \(address.state) \(address.zip)"]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "),
            chiefComplaint: request.chiefComplaint, serviceLine: request.serviceLine.name, market: request.market.name)
        requester = Requester(
            organization: partnerName ?? (request.partnerId == nil ? "Patient (self)" : "Partner"),
            person: request.requester.name, relationship: request.requester.relationship)
        let contact = [request.callbackContact, request.requester].compactMap { $0 }.first { $0.phone != nil }
        callback = contact.flatMap { person in
            person.phone.map {
                Callback(
                    name: person.name, relationship: person.relationship, number: $0,
                    telURL: TriageWording.telURL($0))
            }
        }
        self.windows = windows.map {
            let value = TriageOutcomeForm.windowValue(DateInterval(start: $0.start, end: $0.end))
            return WindowOption(
                value: value, label: TriageWording.window($0.start, $0.end, zone: zone), remaining: $0.remaining,
                selected: value == chosenWindow)
        }
        reasons = TriageOutcomeForm.CloseReason.allCases.map {
            ReasonOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosenReason)
        }
        self.form = form
    }
}

/// The live part of the detail page (`triage-summary.leaf`): the request's status and its claim, with the
/// claim buttons. Fetched again when Station reports a change.
struct TriageSummary: Encodable {
    var id: String
    var patientName: String
    var status: String
    var statusKey: String
    var pending: Bool
    /// When it left triage ("Moved to requested on Dec 1, 2026 at 10:42 AM MST").
    var handledBy: String?
    var waited: String
    /// "held by Nia Nurse for 3 more minutes"; for the viewer's own claim only "3 more minutes".
    var claim: String?
    var claimedByYou: Bool
    var claimedByOther: Bool
    var csrf: String

    init(
        _ request: Components.Schemas.CareRequest, claim: TriageClaim?, viewer: String, csrf: String, zone: TimeZone,
        now: Date
    ) {
        id = request.id
        patientName = TriageRow.name(request.patient)
        status = TriageWording.status(request.status.rawValue)
        statusKey = request.status.rawValue
        pending = request.status == .pendingTriage
        if !pending, let last = request.statusHistory.last {
            handledBy =
                "Moved to \(TriageWording.status(last.to.rawValue).lowercased()) "
                + "on \(TriageWording.exact(last.changedAt, zone: zone))"
        }
        waited = WaitingTime.wording(since: request.createdAt, now: now)
        let live = claim.flatMap { $0.isLive(at: now) ? $0 : nil }
        claimedByYou = live?.holder.id == viewer
        if let live, claimedByYou {
            let minutes = live.minutesLeft(at: now)
            self.claim = "\(minutes) more \(minutes == 1 ? "minute" : "minutes")"
        } else {
            self.claim = live?.wording(at: now)
        }
        claimedByOther = live != nil && live?.holder.id != viewer
        self.csrf = csrf
    }
}
