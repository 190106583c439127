import ExpressDomain
import Foundation
import Vocabulary

extension WebhookEndpoints {
    static let maximumDescription = 200

    /// The draft's URL, description and event types, or every problem with them at once. In production the host
    /// must also resolve to public addresses now, if it resolves at all (it is checked again at each delivery).
    func validate(_ draft: Draft) async throws -> (url: String, description: String, types: Set<CareRequestEvent.Kind>)
    {
        var errors: [String: String] = [:]
        let url = draft.url.trimmingCharacters(in: .whitespacesAndNewlines)
        var host: String?
        do throws(WebhookURLProblem) {
            host = try policy.check(url)
        } catch {
            errors["url"] = error.message
        }
        if let host, policy.production, let addresses = try? await resolver.addresses(of: host) {
            do throws(WebhookURLProblem) {
                try policy.check(resolved: addresses)
            } catch {
                errors["url"] = error.message
            }
        }
        var description = ""
        do {
            description = try Self.checked(draft.description)
        } catch let invalid as Invalid {
            errors.merge(invalid.errors) { a, _ in a }
        }
        var types: Set<CareRequestEvent.Kind> = []
        do throws(WebhookEventTypes.Problem) {
            types = try WebhookEventTypes.parse(draft.eventTypes)
        } catch {
            errors["event_types"] = Self.message(error)
        }
        guard errors.isEmpty else { throw Invalid(errors: errors) }
        return (url, description, types)
    }

    static func checked(_ description: String) throws -> String {
        let trimmed = description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= maximumDescription else {
            throw Invalid(errors: ["description": "Use at most \(maximumDescription) characters."])
        }
        return trimmed
    }

    static func message(_ problem: WebhookEventTypes.Problem) -> String {
        switch problem {
        case .none: "Choose at least one event type."
        case .unknown(let name): "\(name.prefix(64)) is not an event type."
        }
    }
}
