import Foundation
import Vapor
import Vocabulary

/// Read and search of any served type: access, parameters, the provider, the audit, then the answer.
struct FHIRRequestHandler: Sendable {
    let providers: [any FHIRResourceProvider]
    let access: FHIRAccess
    let audit: AuditLog
    var baseURL: String { access.baseURL }

    func provider(_ req: Request) throws -> any FHIRResourceProvider {
        let type = req.parameters.get("type") ?? ""
        guard let provider = providers.first(where: { $0.type == type }) else {
            throw FHIRRefusal.notSupported(
                .notFound,
                "\(type) is not a resource type this server serves; it serves "
                    + providers.map(\.type).joined(separator: ", ") + ".")
        }
        return provider
    }

    func search(_ req: Request, _ parameters: [FHIRRequestParameters.Parameter]) async throws -> Response {
        let provider = try provider(req)
        let context = try await access.context(req, type: provider.type, interaction: .search)
        try FHIRRequestParameters.checkAccept(req.headers[.accept])
        let asked = try FHIRRequestParameters(parameters)
        let known = Set(provider.searchParameters.map(\.name) + ["_id"])
        if let unknown = asked.search.first(where: { !known.contains($0.name) }) {
            throw FHIRRefusal.invalid(
                "\(unknown.name) is not a search parameter of \(provider.type); it takes "
                    + known.sorted().joined(separator: ", ")
                    + " and _count, _cursor, _elements, _format, _summary=count.")
        }
        let search = FHIRSearch(
            parameters: asked.search, count: asked.count, cursor: asked.cursor, onlyCount: asked.onlyCount)
        let page = try await provider.search(search, in: context)
        try await audit.record(
            AuditEvent(
                clientID: context.clientID, partner: context.partner, action: .search, resourceType: provider.type,
                outcome: .success, patients: unique(page.resources.flatMap(\.auditedPatients)),
                careRequests: unique(page.resources.flatMap(\.auditedCareRequests)), requestID: req.id))
        let bundle = FHIRBundle(page: page, type: provider.type, base: baseURL, parameters: asked, now: context.now)
        return FHIRResponse.json(bundle, elements: asked.elements)
    }

    func read(_ req: Request) async throws -> Response {
        let provider = try provider(req)
        let id = req.parameters.get("id") ?? ""
        let context = try await access.context(req, type: provider.type, interaction: .read, id: id)
        try FHIRRequestParameters.checkAccept(req.headers[.accept])
        let asked = try FHIRRequestParameters(FHIRRequestParameters.parse(query: req.url.query), read: true)
        var event = AuditEvent(
            clientID: context.clientID, partner: context.partner, action: .read, resourceType: provider.type,
            resourceID: FHIRID.valid(id), outcome: .success, requestID: req.id)
        let found: (any FHIRResource)?
        do {
            found = try await FHIRID.valid(id) == nil ? nil : provider.read(id, in: context)
        } catch FHIRError.notFound {
            found = nil
        }
        guard let resource = found else {
            event.outcome = .notFound
            event.patients = provider.type == "Patient" ? [PatientID(wire: id)].compactMap { $0 } : []
            event.careRequests =
                ["ServiceRequest", "Appointment"].contains(provider.type)
                ? [CareRequestID(wire: id)].compactMap { $0 } : []
            try await audit.record(event)
            throw FHIRRefusal.notFound("\(provider.type)/\(FHIRID.valid(id) ?? "…") is not known to this server.")
        }
        event.patients = unique(resource.auditedPatients)
        event.careRequests = unique(resource.auditedCareRequests)
        try await audit.record(event)
        return FHIRResponse.json(resource, elements: asked.elements)
    }

    private func unique<ID: Hashable>(_ ids: [ID]) -> [ID] {
        var seen = Set<ID>()
        return ids.filter { seen.insert($0).inserted }
    }
}
