/// Sends one message on its way: to an SMTP server, or into the data directory's mail folder.
package protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws
}

/// A message that cannot be rendered safely: refused before anything is sent or written.
package enum MailMessageError: Error, Equatable, CustomStringConvertible {
    case invalidAddress(String)
    case noRecipients
    case unsafeHeader(String)
    case reservedHeader(String)
    case invalidMessageID
    case unsafeAttachment(String)

    package var description: String {
        switch self {
        case .invalidAddress(let role): "The \(role) address is not a plain local@domain address."
        case .noRecipients: "The message has no recipient."
        case .unsafeHeader(let name): "The header \(name) has a line break or a character a header cannot carry."
        case .reservedHeader(let name): "The header \(name) is written by the renderer and cannot be set."
        case .invalidMessageID: "The Message-ID must be printable ASCII local@domain without brackets or spaces."
        case .unsafeAttachment(let name):
            "The attachment \(name) needs a content type of the form type/subtype; name=value (tokens only)."
        }
    }
}
