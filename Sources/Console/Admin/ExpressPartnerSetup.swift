import ConsoleDomain
import ExpressInternalAPI
import Foundation
import Vocabulary

/// Express's half of onboarding: the partner Station made, its phases and its first admin, through Express's
/// internal `onboardPartner` (Console's machine token). Idempotent by partner id, so a failed attempt can be
/// repeated as it is.
struct ExpressPartnerSetup {
    let client: ExpressInternalAPI.Client

    struct Onboarded {
        var adminUserID: String
        /// The first admin's one-time link to choose a password; nil when Express had onboarded the partner
        /// before (it gives the link once).
        var setPasswordURL: String?
    }

    /// Express did not onboard the partner: its words when it refused, else that it could not be reached.
    struct Failure: Error {
        var status: Int
        var message: String
    }

    func onboard(_ partner: PartnerID, name: String, slug: String, phases: Phases, firstAdmin: FirstAdmin)
        async throws(Failure) -> Onboarded
    {
        let body = Components.Schemas.PartnerOnboarding(
            partner, name: name, slug: slug, phases: phases, firstAdmin: firstAdmin)
        let output: Operations.OnboardPartner.Output
        do {
            output = try await client.onboardPartner(body: .json(body))
        } catch {
            throw Failure(status: 503, message: "Express could not be reached.")
        }
        do {
            switch output {
            case .created(let created):
                let json = try created.body.json
                return Onboarded(adminUserID: json.adminUserId, setPasswordURL: json.setPasswordLink)
            case .ok(let ok):
                return Onboarded(adminUserID: try ok.body.json.adminUserId, setPasswordURL: nil)
            case .badRequest(let p): throw Self.refusal(400, p)
            case .unauthorized(let p): throw Self.refusal(401, p)
            case .forbidden(let p): throw Self.refusal(403, p)
            case .conflict(let p): throw Self.refusal(409, p)
            case .unprocessableContent(let p): throw Self.refusal(422, p)
            case .serviceUnavailable(let p): throw Self.refusal(503, p)
            case .undocumented(let status, _):
                throw Failure(status: 502, message: "Express answered \(status), which Console does not expect.")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(status: 502, message: "Express's answer could not be read.")
        }
    }

    static func refusal(_ status: Int, _ response: Components.Responses.Problem) -> Failure {
        let problem = try? response.body.applicationProblemJson
        return Failure(status: status, message: problem?.detail ?? problem?.title ?? "Express refused (\(status)).")
    }
}
