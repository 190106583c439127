import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform
import StationAPI
import Vocabulary

/// Station as Console calls it: the generated `StationAPI.Client`, built per call with the bearer token of whoever
/// acts. Pages use the signed-in staff member's own token (``Vapor/Request/station()``), so Station's status
/// history names the person; only the event follower uses Console's machine token.
package struct StationStaffGateway: Sendable {
    package let serverURL: URL
    let transport: any ClientTransport

    /// `transport` is HTTP in production; tests pass an in-process Station's port or a stub transport.
    package init(serverURL: URL, transport: any ClientTransport) {
        self.serverURL = serverURL
        self.transport = transport
    }

    package static func live(stationURL: String, timeoutSeconds: Int64 = 5) throws -> StationStaffGateway {
        guard let url = URL(string: stationURL) else {
            throw ConfigurationError("STATION_URL \(stationURL) is not a URL.")
        }
        return StationStaffGateway(
            serverURL: url,
            transport: AsyncHTTPClientTransport(
                configuration: .init(timeout: ServiceCallTimeout.amount(timeoutSeconds))))
    }

    /// A client whose every call carries `token` (the signed-in staff member's access token, audience `station`).
    package func client(token: String) -> StationAPI.Client {
        client(tokens: ClosureTokenSource { token })
    }

    /// A client whose calls carry tokens from `tokens` (Console's machine client, for the event feed).
    package func client(tokens: any AccessTokenSource) -> StationAPI.Client {
        StationAPI.Client(
            serverURL: serverURL, configuration: .standard, transport: transport,
            middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }

    /// Runs one Station call: a failure to reach Station becomes ``StationUnavailable``; ``StationProblem``s and
    /// other errors the body throws itself pass through.
    package static func call<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let problem as StationProblem {
            throw problem
        } catch let unavailable as StationUnavailable {
            throw unavailable
        } catch {
            throw StationUnavailable(description: "Station could not be reached: \(error)")
        }
    }

    /// What a Station answer other than the expected success means: a documented refusal (its case carries
    /// Station's problem response) is a ``StationProblem`` with the case's status, anything else
    /// ``StationUnavailable``. Every generated operation's output names its refusals the same way, so the call
    /// wrappers switch only over their success: `case let other: throw StationStaffGateway.refusal(other)`.
    package static func refusal(_ output: some Sendable) -> any Error {
        guard let answer = Mirror(reflecting: output).children.first, let label = answer.label,
            let status = refusalStatus[label], let problem = answer.value as? Components.Responses.Problem
        else { return StationUnavailable.unexpected(output) }
        return StationProblem(status, problem)
    }

    /// The generated output cases of Station's problem answers, by status.
    private static let refusalStatus = [
        "badRequest": 400, "unauthorized": 401, "forbidden": 403, "notFound": 404, "conflict": 409,
        "contentTooLarge": 413, "unprocessableContent": 422,
    ]
}

/// Station did not answer (down, timed out, or answered something Console does not understand). Pages show
/// "Station is unavailable, try again" (503), never a half-filled page.
package struct StationUnavailable: Error, CustomStringConvertible {
    package var description: String
    package init(description: String) { self.description = description }

    /// An answer no case of Console's code expected.
    package static func unexpected(_ output: some Sendable) -> StationUnavailable {
        StationUnavailable(description: "Station answered \(output)")
    }
}

/// Station refused a call with a problem (RFC 9457), kept as Station wrote it so the page can show Station's own
/// words: a 409 "Dee Dispatcher moved it to on_route at 10:42", a 422's bad fields, the affected bookings.
///
/// A 401 means the staff member's token is no longer good: Console's middleware sends them through sign-in again.
package struct StationProblem: Error, CustomStringConvertible {
    package var status: Int
    package var type: String
    package var title: String
    package var detail: String?
    /// Every bad field of a validation problem (422), as Station named it (its JSON field name).
    package var fieldErrors: [(field: String, message: String)]
    /// The problem as generated from Station's document, for extensions (`next_available_windows`,
    /// `affected_care_requests`, …).
    package var raw: Components.Schemas.Problem?

    package init(status: Int, _ problem: Components.Schemas.Problem?) {
        self.status = status
        self.raw = problem
        type = problem?._type ?? "about:blank"
        title = problem?.title ?? "Station refused the request"
        detail = problem?.detail
        fieldErrors = (problem?.errors ?? []).map { ($0.field, $0.message) }
    }

    /// From any operation's problem response: `case .conflict(let response): throw StationProblem(409, response)`.
    package init(_ status: Int, _ response: Components.Responses.Problem) {
        self.init(status: status, try? response.body.applicationProblemJson)
    }

    /// What to tell the person: Station's detail, else its title.
    package var message: String { detail ?? title }

    /// The ids Station listed as affected (a capacity change below what is booked, a closure over bookings).
    package var affectedCareRequests: [CareRequestID] {
        (raw?.affectedCareRequests ?? []).compactMap(CareRequestID.init(wire:))
    }

    package var description: String { "Station answered \(status): \(message)" }
}
