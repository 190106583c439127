import Foundation

extension CareRequestEvent {
    /// Writes ids as their lowercase wire text (`.wire`), as every API here does; the synthesized encoding would
    /// write UUIDs in upper case. Reading stays synthesized: a UUID reads in either case.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(careRequest.wire, forKey: .careRequest)
        try container.encodeIfPresent(partner?.wire, forKey: .partner)
        try container.encodeIfPresent(oldStatus, forKey: .oldStatus)
        try container.encode(newStatus, forKey: .newStatus)
        try container.encodeIfPresent(window, forKey: .window)
        try container.encodeIfPresent(eta, forKey: .eta)
        try container.encode(at, forKey: .at)
    }
}
