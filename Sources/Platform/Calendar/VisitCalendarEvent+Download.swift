import Vapor

extension VisitCalendarEvent {
    /// The event as an "Add to calendar" download: the calendar's MIME type with its method, an attachment with the
    /// event's file name, and never kept by a cache (it belongs to one person's visit).
    package func download() -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: ics))
    }
}
