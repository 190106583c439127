import Foundation
import Vapor

/// Answers every error under `/fhir/r4` as an `OperationOutcome` (the rest of Station answers problem+json).
struct OperationOutcomeMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let refusal: FHIRRefusal
            if let known = FHIRRefusal.of(error) {
                refusal = known
                request.logger.info(
                    "FHIR request refused", metadata: ["status": "\(refusal.status.code)", "code": "\(refusal.code)"])
            } else {
                request.logger.error("FHIR request failed", metadata: ["error": "\(String(reflecting: error))"])
                refusal = .internalError
            }
            return Self.response(refusal)
        }
    }

    static func response(_ refusal: FHIRRefusal) -> Response {
        let response = FHIRResponse.json(refusal.outcome, status: refusal.status)
        for (name, value) in refusal.headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }
}
