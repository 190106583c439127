import ArgumentParser
import Platform
import SelfSchedServices

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update every service's database schema.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        for (name, database) in try await ServiceRegistry.all.migrate(options.settings) {
            say("\(name.padding(toLength: 9, withPad: " ", startingAt: 0)) migrated \(database)")
        }
    }
}
