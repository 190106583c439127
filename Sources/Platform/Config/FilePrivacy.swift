import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Patient data lives in the data directory (SQLite files, audit and analytics logs, keys, secrets): only the
/// account that runs the services may read it.
package enum FilePrivacy {
    /// From now on this process creates files 0600 and directories 0700, whoever creates them (SQLite's own
    /// `-wal` and `-shm` files included).
    package static let ownerOnly: Void = {
        umask(0o077)
    }()

    /// Creates `directory` (and its parents) owner-only, and takes group and world access from it if it existed.
    package static func ensureDirectory(_ directory: URL) throws {
        ownerOnly
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
    }

    /// Takes group and world access from the files at `paths` that exist (files made before this rule).
    package static func restrict(_ paths: [String]) {
        for path in paths where FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
    }
}
