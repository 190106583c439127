import ExpressInternalAPI
import Foundation

extension CareRequestCallback {
    /// The callback as the outbox keeps it: Express's generated callback type as JSON, the body Express receives.
    func outboxPayload() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(Components.Schemas.CareRequestCallback(self)), as: UTF8.self)
    }
}
