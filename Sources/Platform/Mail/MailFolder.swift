import Foundation

/// Reads the mail folder back (`selfsched mail list`): each `.eml` file's time, recipients and subject.
package struct MailFolder: Sendable {
    package struct Entry: Sendable, Equatable {
        package var file: String
        package var date: Date?
        package var to: String
        package var subject: String
    }

    package var directory: URL

    package init(directory: URL) { self.directory = directory }

    package init(dataDirectory: String) {
        self.init(directory: URL(fileURLWithPath: dataDirectory).appendingPathComponent("mail"))
    }

    /// Newest first (by the `Date` header, then the file name, which starts with the time it was written).
    package func entries() throws -> [Entry] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".eml") }
        let entries = try names.map { name in
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            return Self.entry(file: name, headers: Self.headers(String(decoding: data, as: UTF8.self)))
        }
        return entries.sorted { ($0.date ?? .distantPast, $0.file) > ($1.date ?? .distantPast, $1.file) }
    }

    static func entry(file: String, headers: [String: String]) -> Entry {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return Entry(
            file: file, date: headers["date"].flatMap(formatter.date(from:)),
            to: MIMEEncoding.decodeHeaderText(headers["to"] ?? ""),
            subject: MIMEEncoding.decodeHeaderText(headers["subject"] ?? ""))
    }

    /// The header block, unfolded, keyed by lowercased name (the first of a repeated name wins).
    static func headers(_ source: String) -> [String: String] {
        var headers: [String: String] = [:]
        var current: (name: String, value: String)?
        func finish() {
            if let current, headers[current.name] == nil { headers[current.name] = current.value }
        }
        // "\r\n" is one Character in Swift: split the unicode scalars' text after normalizing the line ends.
        for line in source.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t", let open = current {
                current = (open.name, open.value + "\r\n" + line)
            } else if let colon = line.firstIndex(of: ":") {
                finish()
                current = (
                    line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                )
            }
        }
        finish()
        return headers
    }
}
