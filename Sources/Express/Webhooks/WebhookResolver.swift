import ExpressDomain
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns an endpoint's host into the addresses it reaches now, so they are checked before each delivery.
protocol WebhookResolver: Sendable {
    func addresses(of host: String) async throws -> [IPAddress]
}

struct UnresolvableHost: Error, CustomStringConvertible {
    var host: String
    var description: String { "could not resolve \(host)" }
}

/// The system resolver (`getaddrinfo`), off the caller's thread.
struct SystemResolver: WebhookResolver {
    func addresses(of host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return try await Task.detached { try Self.lookup(host) }.value
    }

    private static func lookup(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else {
            throw UnresolvableHost(host: host)
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            if let address = info.pointee.ai_addr {
                var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if getnameinfo(
                    address, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0,
                    let parsed = IPAddress(String(String(cString: buffer).prefix { $0 != "%" }))
                {
                    addresses.append(parsed)
                }
            }
            next = info.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw UnresolvableHost(host: host) }
        return addresses
    }
}
