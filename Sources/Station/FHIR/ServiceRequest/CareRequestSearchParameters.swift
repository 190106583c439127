import Foundation
import StationDomain
import Vocabulary

/// The search parameters ServiceRequest and Appointment share, read into the store's query, and the paging
/// both do the same way.
enum CareRequestSearchParameters {
    /// `_id`, `patient` and `subject`: each a comma-separated list (any), repeated parameters all holding.
    static func query(_ search: FHIRSearch, in context: FHIRContext) throws -> FHIRCareRequestQuery {
        var query = FHIRCareRequestQuery()
        query.ids = intersection(search.values("_id")) { CareRequestID(wire: $0) }
        let references = search.values("patient") + search.values("subject")
        query.patients = try intersection(references) { value in
            try patientID(value, base: context.baseURL)
        }
        return query
    }

    static func dates(_ search: FHIRSearch, _ name: String) throws -> FHIRDateRange? {
        do {
            return try FHIRDateRange.parse(search.values(name))
        } catch {
            throw FHIRError.badRequest(
                "\(name) must be a date or dateTime with an optional prefix eq, gt, ge, lt or le (not \(error.value))")
        }
    }

    /// One page (or only the count) of the partner's requests matching `query`, built into resources by `build`
    /// (nil leaves a row out). The total is counted only when cheap: a patient's requests, or `_summary=count`.
    static func page(
        _ query: FHIRCareRequestQuery, _ search: FHIRSearch, in context: FHIRContext,
        build: (FHIRCareRequestRow, _ partnerName: String) -> (any FHIRResource)?
    ) async throws -> FHIRSearchPage {
        var cursor: PageCursor?
        if let text = search.cursor {
            do {
                cursor = try PageCursor(decoding: text, kind: .careRequests, keyCount: 1)
            } catch {
                throw FHIRError.badRequest("_cursor is not a page token this server gave")
            }
        }
        let store = context.store
        let total =
            search.onlyCount || query.patients != nil
            ? try await store.countFHIRCareRequests(partner: context.partner, query) : nil
        if search.onlyCount { return FHIRSearchPage(resources: [], total: total, next: nil) }
        let page = try await store.fhirCareRequests(
            partner: context.partner, query, after: cursor, limit: search.count)
        let name = page.items.isEmpty ? "" : try await partnerName(context)
        return FHIRSearchPage(
            resources: page.items.compactMap { build($0, name) }, total: total, next: page.nextCursor?.encoded)
    }

    /// The partner's one care request `id` as a row, nil when it is none of the partner's.
    static func row(_ id: String, withVisit: Bool, in context: FHIRContext) async throws -> FHIRCareRequestRow? {
        guard let id = CareRequestID(wire: id) else { return nil }
        var query = FHIRCareRequestQuery(ids: [id])
        query.withVisit = withVisit
        return try await context.store.fhirCareRequests(partner: context.partner, query, after: nil, limit: 1)
            .items.first
    }

    static func partnerName(_ context: FHIRContext) async throws -> String {
        try await context.store.partner(context.partner)?.name ?? "Partner"
    }

    /// `Patient/<id>`, `<base>/Patient/<id>` or `<id>`; nil for an id that names no patient (it matches nothing).
    private static func patientID(_ value: String, base: String) throws -> PatientID? {
        var text = value
        if text.hasPrefix(base + "/") { text.removeFirst(base.count + 1) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return PatientID(wire: text)
        case 2 where parts[0] == "Patient": return PatientID(wire: String(parts[1]))
        default: throw FHIRError.badRequest("patient and subject must reference a Patient (Patient/<id>)")
        }
    }

    /// Comma-separated values (any of them) of every repetition (all of them); nil when none is given.
    private static func intersection<ID: Hashable>(
        _ values: [String], _ parse: (String) throws -> ID?
    ) rethrows -> Set<ID>? {
        var result: Set<ID>?
        for value in values {
            var any: Set<ID> = []
            for item in value.split(separator: ",") {
                if let id = try parse(String(item).trimmingCharacters(in: .whitespaces)) { any.insert(id) }
            }
            result = result.map { $0.intersection(any) } ?? any
        }
        return result
    }
}
