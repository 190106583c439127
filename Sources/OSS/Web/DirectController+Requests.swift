import Foundation
import Platform
import Vapor
import Vocabulary

/// "My requests": every request of the people the signed-in account schedules for, newest first, a page at a time
/// (Station's cursor), each saying whose it is.
extension DirectController {
    static let pageSize = 20

    struct RequestRow: Encodable {
        var id: String
        var status: String
        var statusKey: String
        var created: String
        /// Whom the visit is for, as the account named them ("Myself" for the account holder).
        var whose: String?
        var window: String?
        var choices: PatientRequestChoices
    }

    struct Requests: Encodable {
        var rows: [RequestRow]
        var linked: Bool
        /// Back to the newest requests, on any page after the first.
        var newestURL: String?
        var olderURL: String?
        var supportPhone: String
        /// Identity's page where a patient turns on two-step sign-in.
        var securityURL: String
    }

    func requests(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        let cursor = req.query[String.self, at: "cursor"].flatMap { $0.isEmpty ? nil : $0 }
        var content = Requests(
            rows: [], linked: false, supportPhone: service.config.supportPhone,
            securityURL: service.config.directIssuer + "/account/security")
        let people = try await service.people(of: try account(user))
        var whose: [PatientID: String] = [:]
        var patients: [PatientID] = []
        for person in people {
            guard let patient = person.patient, whose[patient] == nil else { continue }
            whose[patient] = person.displayName
            patients.append(patient)
        }
        guard !patients.isEmpty else {
            return try await req.ossPage("requests", "My requests", app: app, content)
        }
        let listed: CareRequestPage
        do {
            // Station's cursors are short; a longer one was never one of them.
            guard (cursor?.utf8.count ?? 0) <= 512 else { return try await outdated(req) }
            listed = try await service.downstream.station.careRequests(
                of: patients, cursor: cursor, limit: Self.pageSize)
        } catch is StationRefusal {
            return try await outdated(req)
        } catch is Unavailable {
            return try await req.ossNotice(
                .serviceUnavailable, app: app, title: "Your requests are unavailable right now",
                message: "We could not reach our scheduling system. Please try again in a moment.", linkURL: nil,
                linkText: nil, retry: true)
        }
        let zones = listed.items.isEmpty ? [:] : await Self.marketTimeZones(service)
        content.linked = true
        content.rows = listed.items.map { item in
            let zone = zones[item.market] ?? Self.fallbackZone
            return RequestRow(
                id: item.id.wire, status: RequestWording.status(item.status), statusKey: item.status.rawValue,
                created: DateText.string(item.createdAt, "MMM d, yyyy", zone: zone),
                whose: item.patient.flatMap { whose[$0] },
                window: item.timeWindow.map { RequestWording.window($0, zone: zone, long: false) },
                choices: PatientRequestChoices(
                    item.id, changeable: item.status.isChangeableByRequester, hasWindow: item.timeWindow != nil,
                    app: app))
        }
        content.newestURL = cursor == nil ? nil : app.path("/requests")
        content.olderURL = listed.nextCursor.map(olderURL)
        return try await req.ossPage("requests", "My requests", app: app, content)
    }

    /// The next page's address: only Station's opaque cursor travels in it, never anything about the patient.
    private func olderURL(_ cursor: String) -> String {
        var components = URLComponents()
        components.path = app.path("/requests")
        components.queryItems = [URLQueryItem(name: "cursor", value: cursor)]
        return components.string ?? app.path("/requests")
    }

    private func outdated(_ req: Request) async throws -> Response {
        try await req.ossNotice(
            .badRequest, app: app, title: "That page link is out of date",
            message: "Your list has changed since that link was made. Start again from your newest requests.",
            linkURL: app.path("/requests"), linkText: "My requests")
    }
}
