import Vapor
import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// The address a service listens on.
package struct ServiceEndpoint: Sendable, Equatable {
    package var host: String
    package var port: Int

    package init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// The URL a person or another service on this machine uses.
    package var url: String { "http://\(host == "0.0.0.0" || host == "127.0.0.1" ? "localhost" : host):\(port)" }
}

/// A service built and ready to listen.
package struct HostedService: Sendable {
    package var name: String
    package var endpoint: ServiceEndpoint
    package var app: Application

    package init(name: String, endpoint: ServiceEndpoint, app: Application) {
        self.name = name
        self.endpoint = endpoint
        self.app = app
    }
}

/// Runs several services in one process, each with its own server and port, until SIGINT or SIGTERM.
package enum ServiceHost {
    /// Logging set up once per process: JSON lines at `LOG_LEVEL` (info by default); `LOG_FORMAT=console` for
    /// Vapor's human-readable console lines instead.
    static let bootstrapLogging: Void = {
        let env = ProcessInfo.processInfo.environment
        if env["LOG_FORMAT"] == "console" {
            var environment = Environment(name: "development", arguments: ["selfsched"])
            try? LoggingSystem.bootstrap(from: &environment)
            return
        }
        let level = env["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    /// A fresh application for one service, sharing the process's event loops.
    /// `SELFSCHED_ENV` names the environment (development by default; production tightens cookies and errors).
    package static func makeApplication() async throws -> Application {
        bootstrapLogging
        let name = ProcessInfo.processInfo.environment["SELFSCHED_ENV"] ?? "development"
        let environment = Environment(name: name, arguments: ["selfsched"])
        return try await Application.make(environment, .shared(MultiThreadedEventLoopGroup.singleton))
    }

    /// Starts `services`, runs `afterStart` (checks that need every service listening; a throw stops them all),
    /// then serves until SIGINT or SIGTERM.
    package static func run(_ services: [HostedService], announce: @Sendable (String) -> Void,
                           afterStart: () async throws -> Void = {}) async throws {
        var started: [HostedService] = []
        do {
            for service in services {
                service.app.http.server.configuration.hostname = service.endpoint.host
                service.app.http.server.configuration.port = service.endpoint.port
                try await service.app.asyncBoot()
                try await service.app.server.start(address: .hostname(service.endpoint.host, port: service.endpoint.port))
                started.append(service)
                announce("\(service.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(service.endpoint.url)")
            }
            try await afterStart()
            let signal = await waitForTermination()
            announce("received \(signal), shutting down")
        } catch {
            await shutdown(started + services.filter { s in !started.contains { $0.name == s.name } })
            throw error
        }
        await shutdown(services)
    }

    static func shutdown(_ services: [HostedService]) async {
        for service in services {
            await service.app.server.shutdown()
            try? await service.app.asyncShutdown()
        }
    }

    /// Waits for SIGINT or SIGTERM and returns its name.
    static func waitForTermination() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let once = OnceFlag()
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if once.claim() { continuation.resume(returning: name) }
                }
                source.resume()
                sources.append(source)
            }
            SignalSources.keep(sources)
        }
    }
}

private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}

/// Keeps the signal sources alive for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) static var all: [any DispatchSourceSignal] = []
    static func keep(_ sources: [any DispatchSourceSignal]) { all += sources }
}

extension ServiceEndpoint {
    /// Lays `<PREFIX>_PORT` and `<PREFIX>_HOST` (or `SELFSCHED_HOST`) from the environment over this endpoint.
    package mutating func apply(_ env: [String: String], prefix: String) throws {
        if let raw = env["\(prefix)_PORT"] {
            guard let value = Int(raw), (1...65535).contains(value) else {
                throw ConfigurationError("\(prefix)_PORT must be a port number, not \(raw).")
            }
            port = value
        }
        if let host = env["\(prefix)_HOST"] ?? env["SELFSCHED_HOST"] { self.host = host }
    }
}
