import Foundation

/// Places addresses on the map without a geocoder: every address at its ZIP code's centroid (public coordinates,
/// kept as data for the states we serve: `Resources/zip-centroids.csv`, made by `scripts/zip-centroids.py`), moved
/// by an offset of its own so that two addresses of one ZIP code are apart and one address is always in the same
/// place. Good enough to order a day's visits; a geocoder can replace it behind the same question.
public struct ZipLocator: Sendable {
    private let centroids: [String: Coordinate]
    /// The farthest an address is put from its ZIP code's centroid, in kilometres.
    public var spread: Double

    /// The centroids from CSV text: `zip,latitude,longitude` lines; a header, `#` comments and blank lines are
    /// skipped; a line that does not read is an error naming it.
    public init(csv: String, spread: Double = 1.5) throws(Malformed) {
        var centroids: [String: Coordinate] = [:]
        // Any line ending ("\r\n" is one Character in Swift).
        for (number, raw) in csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("zip,") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0].count == 5, fields[0].allSatisfy(\.isASCII),
                fields[0].allSatisfy(\.isNumber), let latitude = Double(fields[1]), let longitude = Double(fields[2]),
                (-90...90).contains(latitude), (-180...180).contains(longitude)
            else { throw Malformed(line: number + 1) }
            centroids[String(fields[0])] = Coordinate(latitude: latitude, longitude: longitude)
        }
        self.centroids = centroids
        self.spread = spread.isFinite ? max(0, spread) : 0
    }

    /// The centroids kept with the planner.
    public static func bundled(spread: Double = 1.5) throws -> ZipLocator {
        guard let url = Bundle.module.url(forResource: "zip-centroids", withExtension: "csv") else {
            throw Malformed(line: 0)
        }
        return try ZipLocator(csv: try String(contentsOf: url, encoding: .utf8), spread: spread)
    }

    /// A line of the centroids that does not read (0: the file is missing).
    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var description: String { "ZIP code centroids: line \(line) does not read as zip,latitude,longitude" }
    }

    /// How many ZIP codes it knows.
    public var count: Int { centroids.count }

    /// The centroid of a ZIP code, if known.
    public func centroid(of zip: String) -> Coordinate? { centroids[zip] }

    /// Where `address` (any text naming the place within the ZIP code, such as its street line) is put: the
    /// centroid moved up to ``spread`` km in a direction and by a distance that depend only on the address, so the
    /// same address lands on the same spot on every machine and every run. Nil for a ZIP code it does not know.
    public func place(zip: String, address: String) -> Coordinate? {
        guard let centroid = centroids[zip] else { return nil }
        let key = address.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        var hash = Self.fnv1a(key)
        let angle = Double(hash & 0xFFFF_FFFF) / Double(UInt32.max) * 2 * Double.pi
        hash >>= 32
        // Uniform over the disc: the distance grows with the square root of a uniform draw.
        let distance = spread * (Double(hash & 0xFFFF_FFFF) / Double(UInt32.max)).squareRoot()
        let kilometresPerDegree = 111.32
        let latitude = centroid.latitude + distance * cos(angle) / kilometresPerDegree
        let longitude =
            centroid.longitude + distance * sin(angle)
            / (kilometresPerDegree * max(0.01, cos(centroid.latitude * Double.pi / 180)))
        return Coordinate(latitude: latitude, longitude: longitude)
    }

    /// FNV-1a, 64 bits: a hash that is the same in every process (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
