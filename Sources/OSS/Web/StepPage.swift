import Foundation
import OSSDomain

/// What `step.leaf` shows of one step of a draft.
struct StepPage: Encodable {
    var draftID: String
    var step: String
    var title: String
    var progress: [Progress]
    /// The answers as typed, by the form's field names.
    var values: [Draft.Field: String]
    var errors: Draft.FieldErrors
    /// The patient Station already knows, shown instead of the patient form.
    var patientID: String?
    var patientName: String?
    var patientDOB: String?
    var backURL: String?
    var symptoms: [Symptom]
    var windows: [WindowDay]
    var summary: [SummaryLine]
    var partner: Bool
    var notice: String?
    /// A patient account scheduling for a family member (not for themselves).
    var forFamily = false
    /// At the window step of a draft a booking link opened: what became of the link's window.
    var linkNote: LinkNote?
    /// The review step's `short` variant (experiment `review_step`); nil shows the standard review.
    var short: ShortReview?

    /// Who, where and when on one card; ``summary`` stays one click away ("Show all answers").
    struct ShortReview: Encodable {
        var who: String
        var place: String
        var when: String
    }

    struct LinkNote: Encodable {
        var text: String
        /// The link's window is preselected (rather than gone, full or in another area).
        var selected: Bool
    }

    struct Progress: Encodable {
        var title: String
        var state: String
    }

    struct Symptom: Encodable {
        var id: String
        var label: String
        var checked: Bool
    }

    struct WindowOption: Encodable {
        var value: String
        var label: String
        var remaining: Int
        var checked: Bool
    }

    struct WindowDay: Encodable {
        var day: String
        var options: [WindowOption]
    }

    struct SummaryLine: Encodable {
        var label: String
        var value: String
        var editURL: String
    }
}

extension DraftController {
    /// The review page's lines, each with a way back to the step that asked.
    func summary(_ draft: Draft) -> [StepPage.SummaryLine] {
        let a = draft.answers
        func edit(_ step: Step) -> String { path(draft, step.rawValue) }
        var lines: [StepPage.SummaryLine] = [
            .init(label: "Patient", value: Self.patientWords(a.patient), editURL: edit(.patient)),
            .init(label: "Reason", value: a.reason?.chiefComplaint ?? "", editURL: edit(.reason)),
            .init(label: "Address", value: Self.addressWords(a.address), editURL: edit(.location)),
        ]
        if a.reason?.outcome == .nurseTriage {
            lines.append(
                .init(
                    label: "Next step", value: "A nurse will call before the visit is scheduled.",
                    editURL: edit(.reason)))
        } else {
            lines.append(.init(label: "Time window", value: a.window?.label ?? "", editURL: edit(.window)))
        }
        let details = a.details ?? .init()
        lines.append(
            .init(
                label: "Insurance",
                value: details.selfPay
                    ? "Self-pay"
                    : details.payer.isEmpty ? "Not given" : "\(details.payer) · \(details.memberID)",
                editURL: edit(.details)))
        if !details.callback.phone.isEmpty {
            lines.append(
                .init(
                    label: "Call back",
                    value: [details.callback.name, details.callback.phone].filter { !$0.isEmpty }
                        .joined(separator: " · "), editURL: edit(.details)))
        }
        return lines
    }
}
