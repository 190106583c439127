import Foundation
import StationDomain
import Vocabulary

/// A published file: its text and the newest change of what built it.
struct PublishedFile: Sendable {
    var body: String
    var lastModified: Date
}

/// Builds the `$bulk-publish` manifest and its ndjson files from Station's markets, service lines and windows.
struct BulkPublication: Sendable {
    var store: StationStore
    var config: StationConfig
    var since: BulkSince?
    /// `_since` as the client wrote it, carried into the manifest's URLs.
    var sinceText: String?

    /// What every file names, read once per request.
    var markets: [MarketModel]
    var lines: [PublishedServiceLine]
    var changes: PublishedChanges

    var baseURL: String { "\(config.publicURL)/fhir/r4/$bulk-publish" }
    static let never = Date(timeIntervalSince1970: 0)

    init(store: StationStore, config: StationConfig, since: BulkSince?, sinceText: String?) async throws {
        self.store = store
        self.config = config
        self.since = since
        self.sinceText = sinceText
        markets = try await store.markets()
        let changes = try await store.publishedChanges()
        self.changes = changes
        lines = try await store.serviceLines().map { line in
            let id = try line.requireID()
            return PublishedServiceLine(
                code: line.code ?? String(ServiceLineID(id).wire.prefix(8)), name: line.name,
                lastUpdated: changes.changed(id))
        }
    }

    func manifest() async throws -> PublishedFile {
        var lastModified = try locations().lastModified
        lastModified = max(lastModified, try schedules().lastModified)
        var output = [
            BulkManifest.Output(type: "Location", url: url("locations.ndjson")),
            BulkManifest.Output(type: "Schedule", url: url("schedules.ndjson")),
        ]
        for market in markets {
            let id = MarketID(try market.requireID())
            lastModified = max(lastModified, try await slotWindows(of: market).lastModified)
            output.append(
                BulkManifest.Output(
                    type: "Slot", url: url("slots/\(id.wire).ndjson"),
                    extension: BulkManifest.OutputExtension(state: [market.state])))
        }
        // The data set as of its newest change, so that an unchanged set keeps its ETag between polls.
        let manifest = BulkManifest(
            transactionTime: FHIRTime.instant(lastModified), request: url(nil), output: output)
        return PublishedFile(body: try Self.json(manifest), lastModified: lastModified)
    }

    func locations() throws -> PublishedFile {
        let contacts = LocationResource.Contacts(phone: config.supportPhone, bookingURL: config.bookingURL)
        let resources = try markets.map { market in
            (
                try LocationResource(market: market, contacts: contacts, lastUpdated: changes.changed(market.id)),
                changes.changed(market.id) ?? Self.never
            )
        }
        return try file(resources)
    }

    func schedules() throws -> PublishedFile {
        var resources: [(ScheduleResource, Date)] = []
        for market in markets {
            let id = MarketID(try market.requireID())
            let horizon = market.schedule.publishedDays(at: store.now()).flatMap { days -> FHIRPeriod? in
                guard let start = days.lowerBound.interval(in: market.schedule.timeZone)?.start,
                    let end = days.upperBound.interval(in: market.schedule.timeZone)?.end
                else { return nil }
                return FHIRPeriod(start: FHIRTime.instant(start), end: FHIRTime.instant(end))
            }
            for line in lines {
                let changed = [changes.changed(market.id), line.lastUpdated].compactMap { $0 }.max()
                resources.append(
                    (
                        ScheduleResource(market: id, line: line, horizon: horizon, lastUpdated: changed),
                        changed ?? Self.never
                    ))
            }
        }
        return try file(resources)
    }

    /// Nil when there is no such market.
    func slots(of id: MarketID) async throws -> PublishedFile? {
        guard let market = markets.first(where: { $0.id == id.rawValue }) else { return nil }
        let (windows, lastModified) = try await slotWindows(of: market)
        var resources: [(SlotResource, Date)] = []
        for window in windows {
            for line in lines {
                let slot = SlotResource(
                    window: window, line: line, bookingURL: config.bookingURL, phone: config.supportPhone)
                resources.append((slot, window.lastUpdated))
            }
        }
        var published = try file(resources)
        published.lastModified = lastModified
        return published
    }

    /// A market's published windows, and when its slot file last changed: the newest window change, or the
    /// latest window that left it by starting.
    private func slotWindows(of market: MarketModel) async throws -> ([PublishedWindow], lastModified: Date) {
        let windows = try await store.publishedWindows(of: market, changedAt: changes.changed(market.id))
        let expiry = SlotPublishing.lastExpiry(of: market.schedule, now: store.now())
        let newest = (windows.map(\.lastUpdated) + [expiry].compactMap { $0 }).max() ?? Self.never
        return (windows, newest)
    }

    /// One resource a line, those changed after `_since` only; last modified = the newest change of them all.
    private func file(_ resources: [(some Encodable, Date)]) throws -> PublishedFile {
        let lines = try resources.filter { since?.includes($0.1) ?? true }.map { try Self.json($0.0) + "\n" }
        return PublishedFile(body: lines.joined(), lastModified: resources.map(\.1).max() ?? Self.never)
    }

    private func url(_ file: String?) -> String {
        let path = file.map { "\(baseURL)/\($0)" } ?? baseURL
        guard let sinceText else { return path }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "\(path)?_since=\(sinceText.addingPercentEncoding(withAllowedCharacters: allowed) ?? sinceText)"
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        // Sorted: the same data gives the same bytes, hence the same ETag.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
