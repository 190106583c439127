import Foundation
import IdentityManagementAPI
import Platform

/// EHR backend clients (SMART Backend Services), registered by Express for one partner (owner: backend clients;
/// the lead's stubs until they land).
extension ManagementAPIHandler {
    func registerBackendClient(_ input: Operations.RegisterBackendClient.Input) async throws
        -> Operations.RegisterBackendClient.Output
    { .undocumented(statusCode: 501, .init()) }

    func listBackendClients(_ input: Operations.ListBackendClients.Input) async throws
        -> Operations.ListBackendClients.Output
    { .undocumented(statusCode: 501, .init()) }

    func deleteBackendClient(_ input: Operations.DeleteBackendClient.Input) async throws
        -> Operations.DeleteBackendClient.Output
    { .undocumented(statusCode: 501, .init()) }
}
