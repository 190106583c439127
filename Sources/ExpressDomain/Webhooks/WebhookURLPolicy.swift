import Foundation

/// Why an endpoint URL is refused, in words a partner admin can act on.
package enum WebhookURLProblem: Error, Sendable, Equatable {
    case malformed
    case tooLong
    case notHTTPS
    case credentials
    /// The host is, or resolves to, an address outside the public internet.
    case forbiddenAddress(IPAddress.Kind)
    /// The host name is one of our own (`localhost`, `*.local`, `*.internal`) or an ambiguous number.
    case forbiddenHost

    package var message: String {
        switch self {
        case .malformed: "Enter a full URL such as https://example.com/webhooks."
        case .tooLong: "Use a URL of at most \(WebhookURLPolicy.maximumLength) characters."
        case .notHTTPS: "Use an https:// URL."
        case .credentials: "Leave the user name and password out of the URL."
        case .forbiddenAddress(let kind): "The URL must reach the public internet, not a \(kind.rawValue) address."
        case .forbiddenHost: "The URL must name a public host."
        }
    }
}

/// Which endpoint URLs Express sends partner webhooks to. In production: https only, and only hosts on the public
/// internet, checked when the endpoint is registered and again before each delivery against the addresses DNS
/// returns then (a name that resolved to a public address yesterday may resolve to 10.0.0.1 today). In
/// development (`SELFSCHED_ENV` not `production`) `http://localhost` and private addresses are allowed too, so a
/// receiver on the developer's machine or in a test can listen.
package struct WebhookURLPolicy: Sendable, Equatable {
    package var production: Bool

    package static let maximumLength = 2048

    package init(production: Bool) { self.production = production }

    /// The URL's host (without brackets) when `text` is an acceptable endpoint URL.
    package func check(_ text: String) throws(WebhookURLProblem) -> String {
        guard text.count <= Self.maximumLength else { throw .tooLong }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            let rawHost = url.host, !rawHost.isEmpty, url.fragment == nil
        else { throw .malformed }
        guard url.user == nil, url.password == nil else { throw .credentials }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let loopbackHost = host == "localhost" || IPAddress(host)?.kind == .loopback
        switch scheme {
        case "https": break
        case "http" where !production && loopbackHost: break
        case "http", "https": throw .notHTTPS
        default: throw .malformed
        }
        guard production else { return host }
        if let address = IPAddress(host) {
            guard address.isPublic else { throw .forbiddenAddress(address.kind) }
            return host
        }
        try checkName(host)
        return host
    }

    /// Before each delivery: every address the host resolves to now must be allowed.
    package func check(resolved addresses: [IPAddress]) throws(WebhookURLProblem) {
        guard production else { return }
        guard !addresses.isEmpty else { throw .malformed }
        if let refused = addresses.first(where: { !$0.isPublic }) { throw .forbiddenAddress(refused.kind) }
    }

    private func checkName(_ host: String) throws(WebhookURLProblem) {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty || $0 == labels.last }) else { throw .forbiddenHost }
        let last = labels.last(where: { !$0.isEmpty }) ?? ""
        // `2130706433`, `127.1` and `0x7f.1` are addresses to many resolvers; a real top-level domain is letters.
        guard last.contains(where: \.isLetter), !last.hasPrefix("0x") else { throw .forbiddenHost }
        let ownNames: Set<Substring> = ["localhost", "local", "internal", "localdomain", "home", "lan", "arpa"]
        guard !ownNames.contains(last) else { throw .forbiddenHost }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw .forbiddenHost
        }
    }
}
