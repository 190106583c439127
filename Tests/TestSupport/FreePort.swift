import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP port on loopback that nothing listens on right now, chosen by the kernel (no two tests collide the
/// way random picks from a range can).
package func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Starts `app`'s server on a port the kernel picks and returns it: nothing else can take it in between.
package func startOnAnyPort(_ app: Application) async throws -> Int {
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    guard let port = app.http.server.shared.localAddress?.port else {
        throw Abort(.internalServerError, reason: "no port")
    }
    return port
}

/// Whether an error is a port someone took between choosing it and binding it; the caller may try again.
package func isAddressInUse(_ error: any Error) -> Bool { "\(error)".contains("Address already in use") }

/// Serves `app` on loopback (on `port`, or one the kernel picks) while `body` runs with the port, then shuts it
/// down, also when `body` throws.
package func serving<T>(_ app: Application, port: Int? = nil, _ body: (Int) async throws -> T) async throws -> T {
    let result: T
    do {
        var bound = port ?? 0
        if let port {
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
        } else {
            bound = try await startOnAnyPort(app)
        }
        result = try await body(bound)
    } catch {
        await app.server.shutdown()
        try? await app.asyncShutdown()
        throw error
    }
    await app.server.shutdown()
    try await app.asyncShutdown()
    return result
}
