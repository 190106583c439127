/// Why a message did not reach the SMTP server. The outbox retries every failure, but a permanent one (5xx:
/// the server will not take this message) and a transient one (4xx, a timeout, a lost connection) read
/// differently in the delivery log.
package enum SMTPError: Error, Equatable, CustomStringConvertible {
    /// The server answered `reply` at `step` (`MAIL FROM`, `RCPT TO`, `DATA`, `AUTH`, …).
    case rejected(step: String, reply: SMTPReply)
    case timeout(step: String)
    case connectionFailed(String)
    case connectionClosed
    case malformedReply
    /// `tls=starttls` was asked for and the server does not offer STARTTLS.
    case startTLSUnavailable
    /// The URL has credentials and the connection is not encrypted (add `tls=none` to allow it on purpose).
    case credentialsNeedTLS
    /// The server offers neither AUTH PLAIN nor AUTH LOGIN.
    case authenticationUnavailable

    /// True when sending the same message again to the same server will fail again.
    package var isPermanent: Bool {
        switch self {
        case .rejected(_, let reply): reply.isPermanentFailure
        case .startTLSUnavailable, .credentialsNeedTLS, .authenticationUnavailable: true
        default: false
        }
    }

    package var description: String {
        switch self {
        case .rejected(let step, let reply):
            let kind =
                reply.isPermanentFailure
                ? "permanent failure" : reply.isTransientFailure ? "transient failure" : "unexpected reply"
            return "SMTP \(kind) at \(step): \(reply.code) \(reply.lines.joined(separator: " ").prefix(200))"
        case .timeout(let step): return "SMTP transient failure: no reply to \(step) in time"
        case .connectionFailed(let reason): return "SMTP transient failure: could not connect (\(reason.prefix(200)))"
        case .connectionClosed: return "SMTP transient failure: the server closed the connection"
        case .malformedReply: return "SMTP failure: the server's reply is not SMTP"
        case .startTLSUnavailable:
            return "SMTP permanent failure: STARTTLS is required and the server does not offer it"
        case .credentialsNeedTLS:
            return "SMTP permanent failure: credentials are never sent unencrypted (the server offers no STARTTLS; "
                + "add tls=none to SMTP_URL to allow it)"
        case .authenticationUnavailable:
            return "SMTP permanent failure: the server offers neither AUTH PLAIN nor AUTH LOGIN"
        }
    }
}
