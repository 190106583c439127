import Foundation
import OpenAPIRuntime
import Vapor

/// An error that knows the problem response it stands for.
package protocol ProblemConvertible: Error {
    var problem: Problem { get }
}

/// Turns every error into a problem response: the client's mistakes into clear 4xx answers, ours into a
/// logged 500 that reveals nothing. A browser asking for HTML gets the same as a small page.
package struct ProblemMiddleware: AsyncMiddleware {
    package init() {}

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            let response = try await next.respond(to: request)
            response.headers.replaceOrAdd(name: "X-Request-Id", value: request.id)
            return response
        } catch {
            let problem = Self.problem(for: error)
            if problem.status == .internalServerError {
                request.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            } else {
                request.logger.info(
                    "request refused", metadata: ["status": "\(problem.status.code)", "problem": "\(problem.slug)"])
            }
            let response =
                request.prefersHTML
                ? problem.htmlResponse(requestID: request.id) : problem.response(requestID: request.id)
            response.headers.replaceOrAdd(name: "X-Request-Id", value: request.id)
            return response
        }
    }

    package static func problem(for error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let convertible as any ProblemConvertible:
            return convertible.problem
        case let server as ServerError:
            if let problem = server.underlyingError as? Problem { return problem }
            if let convertible = server.underlyingError as? any ProblemConvertible { return convertible.problem }
            if let decoding = server.underlyingError as? DecodingError {
                return .badRequest(describe(decoding), slug: "malformed-request")
            }
            if server.operationInput == nil {
                // The request did not parse into the operation's input: the client's mistake.
                let status =
                    server.httpStatus.code >= 400 && server.httpStatus.code < 500
                    ? HTTPResponseStatus(statusCode: server.httpStatus.code) : .badRequest
                return Problem(
                    status: status, slug: "malformed-request", title: "Bad request",
                    detail: "The request could not be read: \(server.causeDescription).")
            }
            return problem(for: server.underlyingError)
        case let decoding as DecodingError:
            return .badRequest(describe(decoding), slug: "malformed-request")
        case let abort as any AbortError where abort.status.code < 500:
            let detail =
                abort.status == .payloadTooLarge
                ? "The request body is larger than this endpoint accepts." : abort.reason
            return Problem(
                status: abort.status, slug: slugify(abort.status.reasonPhrase),
                title: abort.status.reasonPhrase, detail: detail)
        default:
            return .internalError
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "Missing field \(parent == "the body" ? key.stringValue : parent + "." + key.stringValue)."
        case .typeMismatch(let type, let context):
            return "Field \(path(context)) has the wrong type (expected \(type))."
        case .valueNotFound(_, let context):
            return "Field \(path(context)) must not be null."
        case .dataCorrupted(let context):
            return "Malformed value at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "The request body could not be read."
        }
    }

    static func slugify(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }
}
