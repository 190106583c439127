import AsyncHTTPClient
import Fluent
import Foundation
import IdentityDomain
import NIOCore
import Platform
import Vapor

extension IdentityService {
    /// How long a caller waits for the apps to confirm a logout; deliveries still under way go on after it.
    static let logoutPatience: Duration = .seconds(2)

    /// Ends every session of `account`: its SSO sessions at Identity (deleted) and, through back-channel logout,
    /// its sessions in every app of `tenant` (Express, OSS, Console). `keeping` is an SSO session id hash to keep
    /// (none after a reset or a deactivation).
    func endSessions(of account: UUID, tenant: Tenant, keeping: String? = nil, logger: Logger) async throws {
        try await write { db in
            var sessions = SSOSessionModel.query(on: db).filter(\.$accountID == account)
            if let keeping { sessions = sessions.filter(\.$id != keeping) }
            try await sessions.delete()
        }
        logger.info(
            "sessions ended",
            metadata: ["tenant": .string(tenant.rawValue), "account_id": .string(AccountID(account).wire)])
        await notifyLogout(account: account, tenant: tenant, logger: logger)
    }

    /// Tells every client of `tenant` that registered a back-channel logout URI that `account` signed out, so the
    /// apps end that person's sessions too (signing out of Express also signs out of OSS). The caller waits for
    /// the apps' answers at most ``logoutPatience`` (they take milliseconds when up); each delivery gives up after
    /// 3 s, is logged, and an app that missed it still ends the session at its idle timeout.
    func notifyLogout(account: UUID, tenant: Tenant, logger: Logger) async {
        guard
            let clients = try? await ClientModel.query(on: db).filter(\.$tenant == tenant.rawValue)
                .filter(\.$backchannelLogoutURI != nil).all()
        else { return }
        let delivery = Task {
            await deliverLogout(account: account, tenant: tenant, clients: clients, logger: logger)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await delivery.value }
            group.addTask { try? await Task.sleep(for: Self.logoutPatience) }
            await group.next()
            group.cancelAll()
        }
    }

    private func deliverLogout(account: UUID, tenant: Tenant, clients: [ClientModel], logger: Logger) async {
        let issuer = config.issuer(tenant)
        let now = now().wholeSeconds
        await withTaskGroup(of: Void.self) { group in
            for client in clients {
                guard let uri = client.backchannelLogoutURI, !uri.isEmpty, let clientID = client.id else { continue }
                group.addTask { [self] in
                    let token = LogoutTokenClaims(
                        issuer: issuer, subject: AccountID(account).wire, client: clientID, at: now)
                    do {
                        let signed = try await minter.sign(token, type: "logout+jwt")
                        var request = HTTPClientRequest(url: uri)
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                        let form =
                            "logout_token="
                            + (signed.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? signed)
                        request.body = .bytes(ByteBuffer(string: form))
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(3))
                        logger.info(
                            "back-channel logout",
                            metadata: [
                                "client_id": .string(clientID), "status": .stringConvertible(response.status.code),
                            ])
                    } catch {
                        logger.warning(
                            "back-channel logout failed",
                            metadata: ["client_id": .string(clientID), "reason": .string("\(error)")])
                    }
                }
            }
        }
    }
}
