import Foundation
import Platform
import StationAPI
import Vapor

/// Search the partner's patients and start a care request for one of them.
struct PatientsController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("patients", use: search)
    }

    struct Row: Encodable {
        var id: String
        var name: String
        var dateOfBirth: String
        var phone: String?
        var mrn: String?
    }

    struct Context: Encodable {
        var query: String
        var searched: Bool
        var rows: [Row]
        var nextURL: String?
        var error: String?
    }

    func search(req: Request) async throws -> Response {
        let user = try req.user()
        let query = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else {
            return try await req.page("patients", title: "Patients", section: "patients",
                                      Context(query: "", searched: false, rows: [], nextURL: nil, error: nil))
        }
        guard query.count <= 100 else {
            return try await req.page("patients", title: "Patients", section: "patients",
                                      Context(query: String(query.prefix(100)), searched: false, rows: [], nextURL: nil,
                                              error: "Search with at most 100 characters."), status: .badRequest)
        }
        let page: Components.Schemas.PatientPage
        do {
            page = try await service.station.searchPatients(partner: user.partnerID, query: query,
                                                            cursor: req.query[String.self, at: "cursor"], limit: user.pageSize)
        } catch let error as DownstreamBadRequest {
            return try await req.page("patients", title: "Patients", section: "patients",
                                      Context(query: query, searched: false, rows: [], nextURL: nil, error: error.detail), status: .badRequest)
        } catch let error as ServiceUnavailable {
            req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
            return try await req.notice(.serviceUnavailable, title: "Patient search is unavailable right now",
                message: "We could not reach our scheduling system. Please try again in a moment.", section: "patients", retry: true)
        }
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "patients.search",
                                                  patientIDs: page.items.map(\.id), outcome: "success"), request: req)
        await service.analytics.track("patient_searched", userID: user.id, properties: ["results": "\(page.items.count)"])
        let rows = page.items.map {
            Row(id: $0.id, name: "\($0.givenName) \($0.familyName)", dateOfBirth: $0.dateOfBirth, phone: $0.phone, mrn: $0.mrn)
        }
        var next: String?
        if let cursor = page.nextCursor {
            var components = URLComponents()
            components.path = "/patients"
            components.queryItems = [URLQueryItem(name: "q", value: query), URLQueryItem(name: "cursor", value: cursor)]
            next = components.string
        }
        return try await req.page("patients", title: "Patients", section: "patients",
                                  Context(query: query, searched: true, rows: rows, nextURL: next, error: nil))
    }
}
