import ArgumentParser
import Platform
import SelfSchedServices

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every service (or some) in one process, with demo data on first start.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Run only these services, comma-separated (\(ServiceRegistry.all.names.joined(separator: ", "))).")
    var only: String?

    @Flag(help: "Do not load the demo data into empty databases (never loaded with SELFSCHED_ENV=production).")
    var noDemo = false

    func run() async throws {
        let known = ServiceRegistry.all.names
        let selected = Set(
            (only ?? known.joined(separator: ",")).split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            })
        guard selected.isSubset(of: known), !selected.isEmpty else {
            throw ValidationError(
                "Unknown service in --only: \(selected.subtracting(known).sorted().joined(separator: ", ")). "
                    + "Known: \(known.joined(separator: ", ")).")
        }
        let settings = options.settings
        // The demo accounts' password is public: never in production.
        try await ServiceRegistry.all.named(selected).serve(settings, seedDemo: !noDemo && !settings.production) {
            say($0)
        }
    }
}
