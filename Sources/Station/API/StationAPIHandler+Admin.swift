import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    func listPartners(_ input: Operations.ListPartners.Input) async throws -> Operations.ListPartners.Output {
        throw Self.notYet
    }

    func createPartner(_ input: Operations.CreatePartner.Input) async throws -> Operations.CreatePartner.Output {
        throw Self.notYet
    }

    func createMarket(_ input: Operations.CreateMarket.Input) async throws -> Operations.CreateMarket.Output {
        throw Self.notYet
    }

    func updateMarket(_ input: Operations.UpdateMarket.Input) async throws -> Operations.UpdateMarket.Output {
        throw Self.notYet
    }

    func listClosures(_ input: Operations.ListClosures.Input) async throws -> Operations.ListClosures.Output {
        throw Self.notYet
    }

    func addClosure(_ input: Operations.AddClosure.Input) async throws -> Operations.AddClosure.Output {
        throw Self.notYet
    }

    func removeClosure(_ input: Operations.RemoveClosure.Input) async throws -> Operations.RemoveClosure.Output {
        throw Self.notYet
    }

    func createServiceLine(_ input: Operations.CreateServiceLine.Input) async throws
        -> Operations.CreateServiceLine.Output
    {
        throw Self.notYet
    }

    private static var notYet: Problem {
        Problem(
            status: .notImplemented, slug: "not-implemented", title: "Not implemented",
            detail: "This administration operation is not available yet.")
    }
}
