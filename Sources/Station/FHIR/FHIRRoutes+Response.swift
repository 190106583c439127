import Foundation
import Vapor

/// FHIR's JSON answers: `application/fhir+json`, `_elements` applied when asked.
enum FHIRResponse {
    static let contentType = "application/fhir+json; charset=utf-8"

    static func json(
        _ value: some Encodable, status: HTTPResponseStatus = .ok, elements: Set<String>? = nil,
        contentType: String = FHIRResponse.contentType
    ) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        do {
            var data = try encoder.encode(value)
            if let elements { data = try FHIRElements.apply(elements, to: data) }
            return Response(status: status, headers: headers, body: .init(data: data))
        } catch {
            let fallback =
                #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception","diagnostics":"The answer could not be encoded."}]}"#
            return Response(status: .internalServerError, headers: headers, body: .init(string: fallback))
        }
    }
}
