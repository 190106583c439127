import Foundation

/// A service Station pushes its events to: its name is the outbox destination, its URL where deliveries go.
package struct EventSubscriber: Sendable, Equatable {
    package var name: String
    package var url: URL

    package init(name: String, url: URL) {
        self.name = name
        self.url = url
    }

    /// Why a subscriber list (`STATION_EVENT_SUBSCRIBERS`) cannot be used.
    package struct Invalid: Error, Equatable, CustomStringConvertible {
        package var description: String
    }

    /// Reads `name=url,name=url`: names of letters, digits, `-` and `_`, each once; URLs http or https.
    /// An empty list is allowed: Station then keeps its events in the feed only.
    package static func parse(_ text: String) throws(Invalid) -> [EventSubscriber] {
        var subscribers: [EventSubscriber] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let equals = entry.firstIndex(of: "=") else {
                throw Invalid(description: "\(entry) is not name=url.")
            }
            let name = String(entry[..<equals])
            let raw = String(entry[entry.index(after: equals)...])
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) })
            else { throw Invalid(description: "\(name) is not a subscriber name (letters, digits, - and _).") }
            guard !subscribers.contains(where: { $0.name == name }) else {
                throw Invalid(description: "\(name) is named twice.")
            }
            guard let url = URL(string: raw), ["http", "https"].contains(url.scheme), url.host?.isEmpty == false
            else { throw Invalid(description: "\(raw) (for \(name)) is not an http or https URL.") }
            subscribers.append(EventSubscriber(name: name, url: url))
        }
        return subscribers
    }

    /// Express and OSS at their base URLs, on their `/internal/v1/station-events` receivers.
    package static func defaults(expressURL: String, ossURL: String) -> [EventSubscriber] {
        [("express", expressURL), ("oss", ossURL)].compactMap { name, base in
            let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
            return URL(string: trimmed + "/internal/v1/station-events").map { EventSubscriber(name: name, url: $0) }
        }
    }
}
