import Foundation
import IdentityManagementAPI
import Platform

// STUB (issue 16, invitations owner): implement per /work/tools/CONTRACTS16.md.
extension ManagementAPIHandler {
    func lookUpAccount(_ input: Operations.LookUpAccount.Input) async throws -> Operations.LookUpAccount.Output {
        throw Problem.unavailable("Not built yet.")
    }

    func listAccounts(_ input: Operations.ListAccounts.Input) async throws -> Operations.ListAccounts.Output {
        throw Problem.unavailable("Not built yet.")
    }

    func updateAccount(_ input: Operations.UpdateAccount.Input) async throws -> Operations.UpdateAccount.Output {
        throw Problem.unavailable("Not built yet.")
    }

    func reissueInvitation(_ input: Operations.ReissueInvitation.Input) async throws
        -> Operations.ReissueInvitation.Output
    {
        throw Problem.unavailable("Not built yet.")
    }
}
