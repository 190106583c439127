import ExpressDomain
import Foundation
import TestSupport
import Vocabulary

/// Identity's EHR backend clients as a test stubs them: registration only for the names the test answered, an
/// in-memory list per partner, and a test failure for a registration it was not told about. `down` makes every
/// call fail as an unreachable Identity does.
final class FakeBackendClients: BackendClientRegistry, @unchecked Sendable {
    enum Answer {
        /// Registered; the client gets this key id.
        case registered(keyID: String)
        /// Identity refuses it (422) with this reason, as it words it.
        case refused(String)
    }

    /// A registration as Identity was asked for it.
    struct Registration: Equatable {
        var partner: PartnerID
        var name: String
        var publicKey: String
        var registeredBy: UserID
    }

    static let tokenURL = "http://localhost:8083/express/token"

    private let lock = NSLock()
    private var answers: [String: Answer] = [:]
    private var known: [EHRConnection] = []
    private var asked: [Registration] = []
    private var removals: [String] = []
    private var unreachable = false
    let unexpected = UnexpectedCalls()

    /// How Identity answers a registration named `name`.
    func stub(_ name: String, _ answer: Answer) { lock.withLock { answers[name] = answer } }

    /// Identity does not answer (every call throws ``ServiceUnavailable``).
    var down: Bool {
        get { lock.withLock { unreachable } }
        set { lock.withLock { unreachable = newValue } }
    }

    /// A client Identity has already; its id.
    @discardableResult
    func add(partner: PartnerID, name: String, lastUsedAt: Date? = nil) -> String {
        let id = "ehr-" + UUID().uuidString.lowercased().prefix(12)
        lock.withLock {
            known.insert(
                EHRConnection(
                    clientID: id, partner: partner, name: name, keyIDs: ["kid-\(id)"], scopes: ["system/*.read"],
                    tokenURL: Self.tokenURL, createdAt: Date(), lastUsedAt: lastUsedAt), at: 0)
        }
        return id
    }

    /// The registrations asked for, in order.
    var registrations: [Registration] { lock.withLock { asked } }
    /// The client ids removed, in order.
    var removed: [String] { lock.withLock { removals } }
    /// The clients Identity has now.
    var clients: [EHRConnection] { lock.withLock { known } }

    private func reachable() throws {
        if down { throw ServiceUnavailable(service: "Identity", description: "down in this test") }
    }

    func register(partner: PartnerID, name: String, publicKey: String, registeredBy: UserID) async throws
        -> EHRConnection
    {
        try reachable()
        switch lock.withLock({ answers[name] }) {
        case .registered(let keyID):
            let made = EHRConnection(
                clientID: "ehr-" + UUID().uuidString.lowercased().prefix(12), partner: partner, name: name,
                keyIDs: [keyID], scopes: ["system/*.read"], tokenURL: Self.tokenURL, createdAt: Date())
            lock.withLock {
                asked.append(
                    Registration(partner: partner, name: name, publicKey: publicKey, registeredBy: registeredBy))
                known.insert(made, at: 0)
            }
            return made
        case .refused(let reason):
            lock.withLock {
                asked.append(
                    Registration(partner: partner, name: name, publicKey: publicKey, registeredBy: registeredBy))
            }
            throw EHRConnectionRefused(reason: reason)
        case nil:
            unexpected.record("Identity.registerBackendClient(name: \(name))")
            throw ServiceUnavailable(service: "Identity", description: "not stubbed")
        }
    }

    func connections(of partner: PartnerID) async throws -> [EHRConnection] {
        try reachable()
        return lock.withLock { known.filter { $0.partner == partner } }
    }

    func remove(_ clientID: String, of partner: PartnerID) async throws {
        try reachable()
        try lock.withLock {
            guard let index = known.firstIndex(where: { $0.clientID == clientID && $0.partner == partner }) else {
                throw UnknownEHRConnection()
            }
            known.remove(at: index)
            removals.append(clientID)
        }
    }
}
