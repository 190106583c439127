import ArgumentParser
import Foundation
import Smoke

struct SmokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoke",
        abstract:
            "Run scenario 1 over plain HTTP against a deployment, timing each step; exits non-zero naming the failed step."
    )

    @Option(help: "Express's URL.") var express = "http://localhost:8080"
    @Option(help: "OSS's URL.") var oss = "http://localhost:8081"
    @Option(help: "Identity's URL.") var identity = "http://localhost:8083"
    @Option(help: "Express's synthetic-monitoring user (its requests are archived at once and in no list).")
    var user = "monitor@sunrise.example"
    @Option(help: "Their password (env SMOKE_PASSWORD).") var password =
        ProcessInfo.processInfo.environment["SMOKE_PASSWORD"] ?? "selfsched-demo"
    @Option(help: "A patient to find by name.") var patient = "Whitfield"

    func run() async throws {
        var check = SmokeCheck(
            .init(express: express, oss: oss, identity: identity, user: user, password: password, patient: patient)
        ) { say($0) }
        do {
            try await check.run()
        } catch let failure as SmokeCheck.StepFailed {
            say("✘ \(failure.description)")
            throw ExitCode(1)
        }
    }
}
