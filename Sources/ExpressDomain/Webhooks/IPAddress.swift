/// An IP address as written in a URL or returned by DNS, classified for webhook delivery: a partner's endpoint
/// must be on the public internet, never one of our own networks (loopback, link-local, private, unique-local,
/// multicast or reserved ranges), also when hidden in an IPv4-mapped, NAT64 or 6to4 IPv6 address.
package enum IPAddress: Sendable, Equatable {
    case v4([UInt8])
    case v6([UInt8])

    package enum Kind: String, Sendable, Equatable {
        case global
        case unspecified
        case loopback
        case linkLocal = "link-local"
        case `private`
        case uniqueLocal = "unique-local"
        case multicast
        /// Broadcast, documentation, benchmarking, Teredo and other special-purpose ranges.
        case reserved
    }

    /// Parses canonical IPv4 dotted quads and IPv6 text (with `::`, an embedded dotted quad, optional brackets);
    /// nil for anything else, including the numeric shorthands (`127.1`, `0x7f.0.0.1`) some resolvers accept.
    package init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let v4 = Self.parseV4(text) {
            self = .v4(v4)
        } else if let v6 = Self.parseV6(text) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    package var kind: Kind {
        switch self {
        case .v4(let b): return Self.kindV4(b)
        case .v6(let b): return Self.kindV6(b)
        }
    }

    /// The address as a socket or resolver takes it (IPv6 uncompressed).
    package var text: String {
        switch self {
        case .v4(let b):
            return b.map(String.init).joined(separator: ".")
        case .v6(let b):
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(b[$0]) << 8 | UInt16(b[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        }
    }

    /// Only a global unicast address may receive a partner's webhook in production.
    package var isPublic: Bool { kind == .global }

    private static func kindV4(_ b: [UInt8]) -> Kind {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return .unspecified
        case (10, _, _), (172, 16...31, _), (192, 168, _), (100, 64...127, _): return .private
        case (127, _, _): return .loopback
        case (169, 254, _): return .linkLocal
        case (224...239, _, _): return .multicast
        case (192, 0, 0), (192, 0, 2), (198, 51, 100), (203, 0, 113), (198, 18...19, _), (240...255, _, _):
            return .reserved
        default: return .global
        }
    }

    private static func kindV6(_ b: [UInt8]) -> Kind {
        let zeroPrefix = b[0..<10].allSatisfy { $0 == 0 }
        if zeroPrefix, b[10] == 0xff, b[11] == 0xff { return kindV4(Array(b[12..<16])) } // ::ffff:a.b.c.d
        if b[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return kindV4(Array(b[12..<16])) } // NAT64
        if b[0] == 0x20, b[1] == 0x02 { return kindV4(Array(b[2..<6])) } // 6to4
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }), b[15] == 1 { return .loopback }
        if b[0] == 0xff { return .multicast }
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 { return .linkLocal }
        if b[0] == 0xfe, b[1] & 0xc0 == 0xc0 { return .private } // site-local, deprecated
        if b[0] & 0xfe == 0xfc { return .uniqueLocal }
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0d, b[3] == 0xb8 { return .reserved } // documentation
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0, b[3] == 0 { return .reserved } // Teredo
        if b[0] & 0xe0 == 0x20 { return .global } // 2000::/3
        return .reserved
    }

    private static func parseV4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                part == "0" || !part.hasPrefix("0"), let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseV6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":"), !text.contains("%") else { return nil }
        var groups: [UInt16] = []
        var tail: [UInt8] = []
        var body = text
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = parseV4(text[text.index(after: lastColon)...]) else { return nil }
            tail = v4
            body = text[...lastColon]
            if body.hasSuffix(":"), !body.hasSuffix("::") { body = body.dropLast() }
        }
        let halves = body.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func hex(_ part: String) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var out: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = hex(halves[0]) else { return nil }
        let available = 8 - tail.count / 2
        if halves.count == 2 {
            guard let rest = hex(halves[1]), head.count + rest.count < available else { return nil }
            groups = head + Array(repeating: 0, count: available - head.count - rest.count) + rest
        } else {
            guard head.count == available else { return nil }
            groups = head
        }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] } + tail
    }
}
