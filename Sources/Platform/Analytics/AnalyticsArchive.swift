import Analytics
import Foundation

/// The embedded default's JSON lines file (``AnalyticsSettings/file``) read back: what `selfsched analytics
/// funnel` and Console's funnel page compute from.
package enum AnalyticsArchive {
    /// Every message in `file`, oldest first as written. A line that is not a message (a partial line being
    /// written, a line damaged by hand) is skipped and counted; a missing file holds no messages.
    package static func messages(in file: URL) throws -> (messages: [AnalyticsMessage], skipped: Int) {
        let data: Data
        do {
            data = try Data(contentsOf: file, options: .mappedIfSafe)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return ([], 0)
        }
        let decoder = AnalyticsMessage.makeDecoder()
        var messages: [AnalyticsMessage] = []
        var skipped = 0
        for line in data.split(separator: UInt8(ascii: "\n")) {
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            if let message = try? decoder.decode(AnalyticsMessage.self, from: Data(line)) {
                messages.append(message)
            } else {
                skipped += 1
            }
        }
        return (messages, skipped)
    }
}
