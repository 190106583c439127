import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    func listTriageQueue(_ input: Operations.ListTriageQueue.Input) async throws -> Operations.ListTriageQueue.Output {
        throw Problem(status: .notImplemented, slug: "not-implemented", title: "Not implemented", detail: "Soon.")
    }

    func recordTriageOutcome(_ input: Operations.RecordTriageOutcome.Input) async throws
        -> Operations.RecordTriageOutcome.Output
    {
        throw Problem(status: .notImplemented, slug: "not-implemented", title: "Not implemented", detail: "Soon.")
    }
}
