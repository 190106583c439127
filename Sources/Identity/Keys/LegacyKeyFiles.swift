import Foundation

/// The signing keys as Identity kept them before its database held them: one JSON file per key in
/// `<data dir>/identity-keys`. Read once, when the database has no key yet, so an existing deployment keeps its
/// keys and its users' tokens stay valid. The files are left in place (an older version can still start on them).
enum LegacyKeyFiles {
    /// The keys in `directory`, oldest first; none when the folder does not exist.
    static func read(_ directory: URL) throws -> [SigningKeyStore.StoredKey] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try files.map { try decoder.decode(SigningKeyStore.StoredKey.self, from: Data(contentsOf: $0)) }
            .sorted { $0.createdAt < $1.createdAt }
    }
}
