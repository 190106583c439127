import Foundation
import Vapor

/// FHIR's `OperationOutcome` (https://hl7.org/fhir/R4/operationoutcome.html): how every error under `/fhir/r4`
/// is answered.
struct OperationOutcome: Encodable, Sendable, Equatable {
    var resourceType = "OperationOutcome"
    var issue: [Issue]

    struct Issue: Encodable, Sendable, Equatable {
        var severity = "error"
        /// FHIR's issue type: `invalid`, `not-found`, `forbidden`, `login`, `not-supported`, `exception`.
        var code: String
        var diagnostics: String
    }
}

/// A refusal of a FHIR request: its status and the one issue its `OperationOutcome` carries.
struct FHIRRefusal: Error, Sendable, Equatable {
    var status: HTTPResponseStatus
    var code: String
    var diagnostics: String
    /// Extra response headers (`WWW-Authenticate` of a 401).
    var headers: [String: String] = [:]

    var outcome: OperationOutcome {
        OperationOutcome(issue: [OperationOutcome.Issue(code: code, diagnostics: diagnostics)])
    }

    static func invalid(_ diagnostics: String) -> FHIRRefusal {
        FHIRRefusal(status: .badRequest, code: "invalid", diagnostics: diagnostics)
    }

    static func notFound(_ diagnostics: String) -> FHIRRefusal {
        FHIRRefusal(status: .notFound, code: "not-found", diagnostics: diagnostics)
    }

    static func forbidden(_ diagnostics: String) -> FHIRRefusal {
        FHIRRefusal(status: .forbidden, code: "forbidden", diagnostics: diagnostics)
    }

    static func login(_ diagnostics: String, error: String? = nil) -> FHIRRefusal {
        let challenge = error.map { "Bearer error=\"\($0)\"" } ?? "Bearer"
        return FHIRRefusal(
            status: .unauthorized, code: "login", diagnostics: diagnostics, headers: ["WWW-Authenticate": challenge])
    }

    static func notSupported(_ status: HTTPResponseStatus, _ diagnostics: String) -> FHIRRefusal {
        FHIRRefusal(status: status, code: "not-supported", diagnostics: diagnostics)
    }

    static let internalError = FHIRRefusal(
        status: .internalServerError, code: "exception",
        diagnostics: "The server could not answer this request; it has been logged.")

    /// The refusal an error thrown under `/fhir/r4` stands for; nil for one of ours that must be logged (a 500).
    static func of(_ error: any Error) -> FHIRRefusal? {
        switch error {
        case let refusal as FHIRRefusal:
            return refusal
        case FHIRError.badRequest(let diagnostics):
            return .invalid(diagnostics)
        case FHIRError.notFound:
            return .notFound("No such resource.")
        case let abort as any AbortError where abort.status == .notFound:
            return .notFound("No such FHIR endpoint. Only read and search of the types in /fhir/r4/metadata.")
        case let abort as any AbortError where abort.status.code < 500:
            return FHIRRefusal(status: abort.status, code: "invalid", diagnostics: abort.reason)
        default:
            return nil
        }
    }
}
