import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded default: one JSON object a line in the data directory's `analytics.jsonl`, which the funnel
/// command and Console's funnel page read. A batch is one `write` to the file opened for appending, so several
/// apps in one process and several processes add whole lines side by side; the file is opened for each batch, so
/// a file moved away for rotation is started anew. Owner-only (0600), like everything in the data directory.
struct JSONLinesFile: AnalyticsDestination {
    let file: URL

    var name: String { "file" }
    var retries: Bool { false }

    func deliver(_ batch: AnalyticsBatch, timeout: Duration) async -> AnalyticsAttemptResult {
        do {
            try append(batch.lines)
            return .delivered
        } catch {
            return .dropped(.file, detail: "\(error)")
        }
    }

    func append(_ lines: Data) throws {
        var descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor < 0, errno == ENOENT {
            try FilePrivacy.ensureDirectory(file.deletingLastPathComponent())
            descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        }
        guard descriptor >= 0 else { throw FileError(operation: "open", code: errno) }
        defer { close(descriptor) }
        try lines.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return } // nothing to write
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw FileError(operation: "write", code: errno) }
                offset += written
            }
        }
    }

    struct FileError: Error, CustomStringConvertible {
        var operation: String
        var code: Int32
        var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
    }
}
