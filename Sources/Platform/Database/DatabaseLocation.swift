import Foundation

/// Where a service keeps its data: an SQLite file (the embedded default) or a PostgreSQL database.
package enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String, schema: String? = nil)

    package struct Invalid: Error, CustomStringConvertible {
        package var description: String
    }

    /// Parses a database URL: `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite:PATH`,
    /// `sqlite://PATH` or a bare path selects an SQLite file.
    package init(url: String) throws(Invalid) {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard URL(string: url)?.host != nil else {
                throw Invalid(description: "The PostgreSQL URL \(Self.redacted(url)) has no host.")
            }
            self = .postgres(url: url)
        } else if url.hasPrefix("sqlite://") {
            self = .sqlite(path: String(url.dropFirst("sqlite://".count)))
        } else if url.hasPrefix("sqlite:") {
            self = .sqlite(path: String(url.dropFirst("sqlite:".count)))
        } else if url.contains("://") {
            throw Invalid(
                description: "Unsupported database URL \(Self.redacted(url)): use postgres://… or an SQLite file path.")
        } else if url.isEmpty {
            throw Invalid(description: "The database URL is empty.")
        } else {
            self = .sqlite(path: url)
        }
    }

    package var isSQLite: Bool {
        if case .sqlite = self { return true }
        return false
    }

    /// Never prints a password.
    package var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url, let schema): Self.redacted(url) + (schema.map { " (schema \($0))" } ?? "")
        }
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://***"
    }
}
