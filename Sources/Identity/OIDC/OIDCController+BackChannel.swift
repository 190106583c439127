import AsyncHTTPClient
import Fluent
import Foundation
import IdentityDomain
import JWTKit
import NIOCore
import Platform
import Vapor

extension OIDCController {
    /// How long the browser's sign-out waits for the apps to confirm; deliveries still under way go on after it.
    static let logoutPatience: Duration = .seconds(2)

    /// Tells every client of `tenant` that registered a back-channel logout URI that `account` signed out, so the
    /// apps end that person's sessions too (signing out of Express also signs out of OSS). The browser waits for
    /// the apps' answers at most ``logoutPatience`` (they take milliseconds when up); each delivery gives up after
    /// 3 s, is logged, and an app that missed it still ends the session at its idle timeout.
    func notifyLogout(account: UUID, tenant: Tenant, req: Request) async {
        guard
            let clients = try? await ClientModel.query(on: service.db).filter(\.$tenant == tenant.rawValue)
                .filter(\.$backchannelLogoutURI != nil).all()
        else { return }
        let delivery = Task {
            await deliverLogout(account: account, tenant: tenant, clients: clients, logger: req.logger)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await delivery.value }
            group.addTask { try? await Task.sleep(for: Self.logoutPatience) }
            await group.next()
            group.cancelAll()
        }
    }

    private func deliverLogout(account: UUID, tenant: Tenant, clients: [ClientModel], logger: Logger) async {
        let issuer = service.config.issuer(tenant)
        let now = service.now().wholeSeconds
        await withTaskGroup(of: Void.self) { group in
            for client in clients {
                guard let uri = client.backchannelLogoutURI, !uri.isEmpty, let clientID = client.id else { continue }
                group.addTask { [service] in
                    let token = LogoutTokenClaims(
                        issuer: issuer, subject: AccountID(account).wire, client: clientID, at: now)
                    do {
                        let signed = try await service.minter.sign(token, type: "logout+jwt")
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
