import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    func getDispatchBoard(_ input: Operations.GetDispatchBoard.Input) async throws -> Operations.GetDispatchBoard.Output
    {
        throw Problem(status: .notImplemented, slug: "not-implemented", title: "Not implemented", detail: "Soon.")
    }

    func setWindowCapacity(_ input: Operations.SetWindowCapacity.Input) async throws
        -> Operations.SetWindowCapacity.Output
    {
        throw Problem(status: .notImplemented, slug: "not-implemented", title: "Not implemented", detail: "Soon.")
    }
}
