import Foundation
import Platform
import StationDomain
import Vapor
import Vocabulary

/// SMART Scheduling Links at `/fhir/r4/$bulk-publish`: public, no token, no PHI. Constant path components, so
/// they win over the FHIR API's `:type` routes.
enum SchedulingLinksRoutes {
    static let ndjson = HTTPMediaType(type: "application", subType: "fhir+ndjson")

    static func register(_ app: Application, config: StationConfig, store: StationStore) throws {
        let bulk = app.grouped("fhir", "r4", "$bulk-publish")
        bulk.get { req in
            try await answer(req, config: config, store: store, type: .json) { try await $0.manifest() }
        }
        bulk.get("locations.ndjson") { req in
            try await answer(req, config: config, store: store, type: ndjson) { try $0.locations() }
        }
        bulk.get("schedules.ndjson") { req in
            try await answer(req, config: config, store: store, type: ndjson) { try $0.schedules() }
        }
        bulk.get("slots", ":file") { req in
            let file = req.parameters.get("file") ?? ""
            guard file.hasSuffix(".ndjson"), let market = MarketID(wire: String(file.dropLast(".ndjson".count)))
            else { return refuse(.notFound("No such slot file.")) }
            return try await answer(req, config: config, store: store, type: ndjson) { publication in
                guard let file = try await publication.slots(of: market) else { throw NoSuchFile() }
                return file
            }
        }
    }

    private struct NoSuchFile: Error {}

    /// Builds one file for the request's `_since` and answers it with its validators, or 304 when the client's
    /// copy is current.
    private static func answer(
        _ req: Request, config: StationConfig, store: StationStore, type: HTTPMediaType,
        _ build: (BulkPublication) async throws -> PublishedFile
    ) async throws -> Response {
        var since: BulkSince?
        var sinceText: String?
        if let text = req.query[String.self, at: "_since"] {
            guard let parsed = BulkSince(text: text) else {
                return refuse(.invalid("_since must be an instant with its time zone, such as 2026-11-30T21:00:00Z."))
            }
            since = parsed
            sinceText = text.replacingOccurrences(of: " ", with: "+")
        }
        let publication = try await BulkPublication(store: store, config: config, since: since, sinceText: sinceText)
        let file: PublishedFile
        do {
            file = try await build(publication)
        } catch is NoSuchFile {
            return refuse(.notFound("No such slot file."))
        }
        let validators = HTTPValidators(body: file.body, lastModified: file.lastModified)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: validators.etag)
        headers.replaceOrAdd(name: .lastModified, value: validators.lastModifiedText)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        let ifNoneMatch = req.headers[.ifNoneMatch]
        if validators.isNotModified(
            ifNoneMatch: ifNoneMatch.isEmpty ? nil : ifNoneMatch.joined(separator: ","),
            ifModifiedSince: req.headers.first(name: .ifModifiedSince))
        {
            return Response(status: .notModified, headers: headers)
        }
        headers.contentType = type
        return Response(status: .ok, headers: headers, body: .init(string: file.body))
    }

    /// A refusal as its `OperationOutcome`, answered here so that it does not depend on how errors are caught.
    private static func refuse(_ refusal: FHIRRefusal) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/fhir+json; charset=utf-8")
        let body = (try? BulkPublication.json(refusal.outcome)) ?? ""
        return Response(status: refusal.status, headers: headers, body: .init(string: body))
    }
}
