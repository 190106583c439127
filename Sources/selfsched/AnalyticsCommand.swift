import Analytics
import ArgumentParser
import Foundation
import Platform

struct AnalyticsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics", abstract: "Read the product analytics the apps keep in the data directory.",
        subcommands: [Funnel.self])

    struct Funnel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The self-scheduling funnel per partner: started → redeemed → each step → submitted → created.",
            discussion:
                "Reads <data dir>/analytics.jsonl (the embedded default). Example: selfsched analytics funnel "
                + "--since 7d --partner sunrise")

        @OptionGroup var options: CommonOptions
        @Option(help: "Events at or after: a day (2026-11-01, UTC), a span back (7d, 12h, 2w) or an ISO 8601 time.")
        var since: String?
        @Option(help: "Events before: the same forms; a day means the end of that day.") var until: String?
        @Option(help: "One segment: a demo partner's slug (sunrise), a partner id, or direct (patients).")
        var partner: String?
        @Option(help: "text or json.") var format = "text"
        @Option(help: "The JSON lines file to read (default <data dir>/analytics.jsonl).") var file: String?

        func validate() throws {
            guard ["text", "json"].contains(format) else {
                throw ValidationError("--format is text or json, not \(format).")
            }
            _ = try query()
        }

        func run() throws {
            let path = file.map(URL.init(fileURLWithPath:)) ?? AnalyticsSettings.file(in: options.dataDir)
            let (report, skipped) = try query().report(from: path)
            if skipped > 0 {
                FileHandle.standardError.write(
                    Data("Skipped \(skipped) unreadable \(skipped == 1 ? "line" : "lines") of \(path.path).\n".utf8))
            }
            if format == "json" {
                say(String(decoding: try FunnelReport.makeEncoder().encode(report), as: UTF8.self))
            } else {
                let names = Dictionary(
                    uniqueKeysWithValues: DemoPartners.all.map { ($0.id.uuidString.lowercased(), $0.name) })
                FileHandle.standardOutput.write(Data(FunnelText.render(report, partnerNames: names).utf8))
            }
        }

        private func query() throws -> FunnelQuery {
            do {
                return try FunnelQuery.parse(since: since, until: until, partner: partner)
            } catch let error as FunnelQueryError {
                throw ValidationError(error.description)
            }
        }
    }
}
