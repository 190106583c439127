import Foundation
import Vapor

/// An error answer as RFC 9457 `application/problem+json`: a stable `type`, a human `detail` and, for
/// validation, every bad field.
package struct Problem: Error, Sendable, Equatable {
    package struct FieldError: Codable, Sendable, Equatable {
        package var field: String
        package var message: String
        package init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    package var status: HTTPResponseStatus
    /// A short slug, published as `urn:selfsched:problem:<slug>`.
    package var slug: String
    package var title: String
    package var detail: String
    package var errors: [FieldError]
    /// Extra members, each pre-encoded as JSON.
    package var extensions: [String: Data]

    package init(
        status: HTTPResponseStatus, slug: String, title: String, detail: String,
        errors: [FieldError] = [], extensions: [String: Data] = [:]
    ) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.extensions = extensions
    }

    /// A full type URI that replaces the `urn:selfsched:problem:` one, for a problem a contract names by URL.
    package var typeURI: String?

    package var type: String { typeURI ?? "urn:selfsched:problem:\(slug)" }

    /// The same problem published under the type `uri`.
    package func typed(_ uri: String) -> Problem {
        var copy = self
        copy.typeURI = uri
        return copy
    }

    package func with<T: Encodable>(_ key: String, _ value: T) -> Problem {
        var copy = self
        copy.extensions[key] = try? Problem.encoder.encode(value)
        return copy
    }

    package static func badRequest(_ detail: String, slug: String = "bad-request") -> Problem {
        Problem(status: .badRequest, slug: slug, title: "Bad request", detail: detail)
    }
    package static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, slug: "unauthorized", title: "Unauthorized", detail: detail)
    }
    package static func forbidden(_ detail: String) -> Problem {
        Problem(status: .forbidden, slug: "forbidden", title: "Forbidden", detail: detail)
    }
    package static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, slug: "not-found", title: "Not found", detail: detail)
    }
    package static func conflict(_ detail: String, slug: String = "conflict") -> Problem {
        Problem(status: .conflict, slug: slug, title: "Conflict", detail: detail)
    }
    package static func validation(_ errors: [FieldError], detail: String? = nil) -> Problem {
        Problem(
            status: .unprocessableEntity, slug: "validation", title: "Some fields are not valid",
            detail: detail ?? errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "), errors: errors)
    }
    package static func unavailable(_ detail: String) -> Problem {
        Problem(status: .serviceUnavailable, slug: "unavailable", title: "Service unavailable", detail: detail)
    }
    package static let internalError = Problem(
        status: .internalServerError, slug: "internal", title: "Internal error",
        detail: "Something went wrong on our side. It has been logged; please try again.")

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// The response body, with `request_id` for support.
    package func body(requestID: String?) -> Data {
        var object: [String: Any] = [
            "type": type, "title": title, "status": Int(status.code), "detail": detail,
        ]
        if let requestID { object["request_id"] = requestID }
        if !errors.isEmpty {
            object["errors"] = errors.map { ["field": $0.field, "message": $0.message] }
        }
        for (key, data) in extensions {
            object[key] = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    package func response(requestID: String?) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
        if status == .unauthorized { headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
        return Response(status: status, headers: headers, body: .init(data: body(requestID: requestID)))
    }
}
