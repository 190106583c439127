import Foundation
import NIOPosix
import ServiceLifecycle
import Vapor

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

/// Runs several services in one process, each with its own server and port, until SIGINT or SIGTERM
/// (swift-service-lifecycle handles the signals and the order of shutdown).
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

    /// Runs `body` with a booted application that is shut down afterwards, for one-shot commands.
    package static func withApplication<T: Sendable>(
        _ makeApplication: () async throws -> Application = { try await ServiceHost.makeApplication() },
        _ body: (Application) async throws -> T
    ) async throws -> T {
        let app = try await makeApplication()
        app.useSQLiteThreads() // before booting: a command's database may be SQLite
        do {
            try await app.asyncBoot()
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Starts `services` in order, runs `afterStart` (checks that need every service listening; a throw stops them
    /// all), then serves them and runs `workers` until SIGINT or SIGTERM, when everything stops in reverse order and
    /// each worker's `atShutdown` step runs once more after the servers have stopped.
    package static func run(
        _ services: [HostedService], workers: [RepeatingWork] = [], announce: @escaping @Sendable (String) -> Void,
        afterStart: () async throws -> Void = {}
    ) async throws {
        var started: [HostedService] = []
        do {
            for service in services {
                service.app.http.server.configuration.hostname = service.endpoint.host
                service.app.http.server.configuration.port = service.endpoint.port
                try await service.app.asyncBoot()
                try await service.app.server.start(
                    address: .hostname(service.endpoint.host, port: service.endpoint.port))
                started.append(service)
                announce("\(service.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(service.endpoint.url)")
            }
            try await afterStart()
        } catch {
            await shutdown(services)
            throw error
        }
        let servers: [any Service] = services.map { ServedApplication(service: $0, announce: announce) }
        let group = ServiceGroup(
            services: servers + workers, gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "selfsched"))
        try await group.run()
        // The workers stop before the servers (reverse order), so what requests did while the servers drained
        // (analytics sent during shutdown) gets one more last step now that nothing serves.
        for worker in workers { await worker.atShutdown?() }
    }

    /// Stops each service's server and shuts its application down.
    package static func shutdown(_ services: [HostedService]) async {
        for service in services {
            await service.app.server.shutdown()
            try? await service.app.asyncShutdown()
        }
    }

    /// Every trusted issuer's discovery document must name that issuer: a moved identity provider with a stale
    /// issuer list stops the start here, not at the first token. One that cannot be reached yet is only reported.
    package static func checkIssuers(_ issuers: Set<String>, warn: @Sendable (String) -> Void) async throws {
        let source = DiscoveryJWKSSource(client: .shared)
        for issuer in issuers.sorted() {
            do {
                try await source.checkDiscovery(of: issuer)
            } catch let mismatch as IssuerMismatch {
                throw ConfigurationError(mismatch.description)
            } catch {
                warn("warning   could not check the trusted issuer \(issuer) yet: \(error)")
            }
        }
    }
}

/// A started service's server as a lifecycle service: it serves until graceful shutdown, then stops.
private struct ServedApplication: Service {
    let service: HostedService
    let announce: @Sendable (String) -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await ServiceHost.shutdown([service])
        announce("\(service.name.padding(toLength: 9, withPad: " ", startingAt: 0)) stopped")
    }
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
