import Foundation

extension MailAttachment {
    /// A visit's `.ics` (PUBLISH, or CANCEL once cancelled) as an email attaches it.
    package init(_ event: VisitCalendarEvent) {
        self.init(fileName: event.fileName, contentType: event.contentType, data: Data(event.ics.utf8))
    }
}
