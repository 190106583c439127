/// An identity tenant: its own issuer, accounts and clients, as Auth0 tenants are.
package enum Tenant: String, CaseIterable, Codable, Sendable {
    /// Partner users of Express (and OSS's partner flow).
    case express
    /// Patients and family members who schedule for themselves.
    case patients
    /// Dispatchers and nurses.
    case staff

    package var displayName: String {
        switch self {
        case .express: "Express partner portal"
        case .patients: "Patients"
        case .staff: "Staff"
        }
    }
}
