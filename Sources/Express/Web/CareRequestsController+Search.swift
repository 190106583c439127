import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// The list's patient-name search and its CSV file: both POSTs with the CSRF token, so that neither a name nor
/// an audited export is ever a link.
extension CareRequestsController {
    /// `POST /care-requests/name-search`: the name goes into the session, the browser back to the list with the
    /// search's random id next to the filter it had. An empty name ends the search.
    func nameSearch(req: Request) async throws -> Response {
        var query = CareRequestListQuery.form(req)
        query.searchID = nil
        let name = ((try? req.content.get(String.self, at: "name")) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard !name.isEmpty else { return req.redirect(to: query.path()) }
        guard name.count <= CareRequestFilter.maxNameLength else {
            req.flash("error", "Search for a patient name of at most \(CareRequestFilter.maxNameLength) characters.")
            return req.redirect(to: query.path())
        }
        let search = CareRequestNameSearch(name: name)
        search.save(req.webSession)
        query.searchID = search.id
        return req.redirect(to: query.path())
    }

    /// `POST /care-requests/export`: the current filter as a CSV file, for admins; patient names only when the
    /// form's "Include patient names" is ticked.
    func export(req: Request) async throws -> Response {
        let user = try req.user()
        let query = CareRequestListQuery.form(req)
        let includeNames = (try? req.content.get(String.self, at: "names")) == "1"
        let resolved = resolve(query, req, user)
        guard let filter = resolved.filter else {
            return try await req.notice(
                .badRequest, title: "That filter cannot be downloaded",
                message: resolved.messages.sorted { $0.key.rawValue < $1.key.rawValue }.map(\.value).joined(
                    separator: " "),
                section: "care-requests", link: (query.path(), "Back to the list"))
        }
        var pages: ExportCareRequests.Pages
        let first: [CareRequestCSV.Row]
        do {
            pages = try await ExportCareRequests(service: service)(
                req.useCase(user), filter: filter, includeNames: includeNames)
            // The first page before any byte of the file, so that Station's refusal or silence is a clear page.
            first = try await pages.next() ?? []
        } catch UseCaseRefusal.notAllowed {
            return try await req.notice(
                .forbidden, title: "Only admins can download care requests",
                message: "Ask an admin of \(user.partnerName) for the file.", section: "care-requests",
                link: (query.path(), "Back to the list"))
        } catch UseCaseRefusal.careRequestsOff {
            return try await req.notice(
                .notFound, title: "Care requests are not available",
                message: "Care requests are not available in Express for your organization yet.",
                section: "care-requests")
        } catch is DownstreamBadRequest {
            return try await req.notice(
                .badRequest, title: "That filter cannot be downloaded",
                message: "The list has changed since the page was made. Reload the list and try again.",
                section: "care-requests", link: (query.path(), "Back to the list"))
        } catch let error as ServiceUnavailable {
            return try await unavailable(req, error)
        }
        let csv = CareRequestCSV(includeNames: includeNames, zone: user.timeZone)
        let (service, logger, acting) = (service, req.logger, user.acting)
        let body = Response.Body(managedAsyncStream: { [pages] writer in
            var pages = pages
            func send(_ text: String) async throws { try await writer.write(.buffer(ByteBuffer(string: text))) }
            try await send(csv.headerLine + csv.lines(first))
            do {
                while let rows = try await pages.next() { try await send(csv.lines(rows)) }
                if pages.cut { try await send(csv.cutLine(count: pages.count)) }
            } catch {
                logger.warning("care request export stopped early", metadata: ["rows": "\(pages.count)"])
                try await send(csv.stoppedLine)
            }
            await service.track(
                TrackedEvent(
                    .careRequestsExported,
                    [.results: .int(pages.count), .withNames: .bool(includeNames), .cut: .bool(pages.cut)]),
                user: acting)
        })
        let day = LocalDate(service.now(), in: user.timeZone)?.iso ?? "export"
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"care-requests-\(day).csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: body)
    }
}
