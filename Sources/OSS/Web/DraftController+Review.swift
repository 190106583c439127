import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The review step's experiment (`review_step`): `standard` lists every answer with a way back to its step;
/// `short` shows who, where and when on one card with one submit button, every answer still one click away under
/// "Show all answers". Both post the same form, so the request submitted is the same.
enum ReviewVariant: String {
    case standard, short
}

extension DraftController {
    /// The variant the draft's owner sees. Synthetic monitoring always sees the control and is never exposed.
    func reviewVariant(_ draft: Draft) async -> ReviewVariant {
        let experiment = KnownExperiment.reviewStep
        guard !draft.synthetic else { return .standard }
        let name = await service.experiments.variant(
            of: experiment, for: draft.owner.analyticsID, actor: draft.owner.analyticsActor, partner: draft.partner,
            tracker: service.tracker)
        return ReviewVariant(rawValue: name) ?? .standard
    }

    /// The short review's card.
    func shortReview(_ draft: Draft) -> StepPage.ShortReview {
        let a = draft.answers
        return StepPage.ShortReview(
            who: Self.patientWords(a.patient), place: Self.addressWords(a.address),
            when: a.reason?.outcome == .nurseTriage
                ? "A nurse will call to set the time." : a.window?.label ?? "")
    }

    static func patientWords(_ patient: Draft.Patient?) -> String {
        switch patient ?? .new(.init()) {
        case .existing(let known): "\(known.name), born \(known.dateOfBirth)"
        case .new(let new): "\(new.givenName) \(new.familyName), born \(new.dateOfBirth)"
        }
    }

    static func addressWords(_ address: Draft.VisitAddress?) -> String {
        let address = address ?? .init()
        return [address.line1, address.line2, "\(address.city), \(address.state) \(address.zip)"]
            .filter { !$0.isEmpty }.joined(separator: ", ")
    }
}
