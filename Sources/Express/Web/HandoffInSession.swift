import Platform

/// The fingerprint of the handoff this browser last left for OSS with, kept in the server-side session, so that
/// Handoff Returned joins that attempt: OSS's return URL is the browser's to write and names no handoff.
enum HandoffInSession {
    private static let key = "handoff_fingerprint"

    static func remember(_ started: StartHandoff.Started, in session: WebSession) {
        session[key] = started.fingerprint
    }

    /// The fingerprint, once: a second return (a reload, a bookmark) is not that attempt's.
    static func take(from session: WebSession) -> String? {
        defer { session[key] = nil }
        return session[key]
    }
}
