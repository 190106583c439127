import ExpressDomain
import IdentityManagementAPI
import Vocabulary

// Identity's management API types, mapped to Express's at the edge.

extension Invitation {
    init(_ wire: Components.Schemas.Invitation) {
        self.init(
            state: InvitationState(rawValue: wire.state.rawValue) ?? InvitationState.none, sentAt: wire.sentAt,
            expiresAt: wire.expiresAt)
    }
}

extension IdentityAccount {
    init(_ wire: Components.Schemas.Account) {
        self.init(
            id: wire.accountId, email: wire.email, name: wire.name, active: wire.active,
            invitation: Invitation(wire.invitation))
    }
}

extension ProvisionedAccount {
    init(_ wire: Components.Schemas.CreatedAccount) {
        self.init(
            accountID: wire.accountId, setPasswordURL: wire.setPasswordUrl, invitation: Invitation(wire.invitation))
    }
}

extension EHRConnection {
    init(_ wire: Components.Schemas.BackendClient) throws {
        guard let partner = PartnerID(wire: wire.partnerId) else {
            throw ServiceUnavailable(service: "Identity", description: "Identity sent a client without a partner id")
        }
        self.init(
            clientID: wire.clientId, partner: partner, name: wire.name, keyIDs: wire.keyIds, scopes: wire.scopes,
            tokenURL: wire.tokenUrl, createdAt: wire.createdAt, lastUsedAt: wire.lastUsedAt)
    }
}
