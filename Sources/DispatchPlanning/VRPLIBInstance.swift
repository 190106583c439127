import Foundation

/// Reads a vehicle routing problem with time windows in VRPLIB's text format (as the Solomon and Gehring–Homberger
/// instances are published in it): one depot, `VEHICLES` identical vehicles of `CAPACITY`, coordinates, demands,
/// time windows and service times. Travel times are the exact Euclidean distances, unrounded, the convention the
/// published best-known Solomon results use.
public enum VRPLIBInstance {
    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws -> PlanningProblem {
        var header: [String: String] = [:]
        var sections: [String: [[Double]]] = [:]
        var section: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line == "EOF" { continue }
            if line.hasSuffix("_SECTION") {
                section = line
                sections[line] = []
            } else if let current = section, let first = line.first, first.isNumber || first == "-" {
                let numbers = line.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
                if numbers.first == -1 { continue }
                guard numbers.allSatisfy({ $0.isFinite && abs($0) < 1e12 }) else {
                    throw FormatError(description: "a number out of range: \(line)")
                }
                sections[current, default: []].append(numbers)
            } else if let colon = line.firstIndex(of: ":") {
                section = nil
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                header[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            } else {
                throw FormatError(description: "unexpected line: \(line)")
            }
        }
        guard let dimension = header["DIMENSION"].flatMap({ Int($0) }), dimension > 1 else {
            throw FormatError(description: "DIMENSION is missing")
        }
        func column(_ name: String, _ index: Int) throws -> [Double] {
            guard let rows = sections[name], rows.count == dimension, rows.allSatisfy({ $0.count > index }) else {
                throw FormatError(description: "\(name) needs \(dimension) rows")
            }
            return rows.map { $0[index] }
        }
        let x = try column("NODE_COORD_SECTION", 1)
        let y = try column("NODE_COORD_SECTION", 2)
        let demand = try column("DEMAND_SECTION", 1)
        let opens = try column("TIME_WINDOW_SECTION", 1)
        let closes = try column("TIME_WINDOW_SECTION", 2)
        let service =
            sections["SERVICE_TIME_SECTION"] != nil
            ? try column("SERVICE_TIME_SECTION", 1)
            : Array(repeating: header["SERVICE_TIME"].flatMap { Double($0) } ?? 0, count: dimension)
        if let node = (0..<dimension).first(where: { !(opens[$0] <= closes[$0]) }) {
            throw FormatError(description: "node \(node + 1)'s time window closes before it opens")
        }
        let depot = (sections["DEPOT_SECTION"]?.first?.first).map { Int($0) - 1 } ?? 0
        guard (0..<dimension).contains(depot) else { throw FormatError(description: "the depot is out of range") }
        let vehicles = header["VEHICLES"].flatMap { Int($0) } ?? dimension - 1
        let capacity = header["CAPACITY"].flatMap { Int($0) } ?? .max
        guard (1...10_000).contains(vehicles), capacity >= 0, dimension <= 20_000 else {
            throw FormatError(description: "VEHICLES, CAPACITY or DIMENSION is out of range")
        }
        let travel = TravelMatrix(count: dimension) { from, to in
            ((x[from] - x[to]) * (x[from] - x[to]) + (y[from] - y[to]) * (y[from] - y[to])).squareRoot()
        }
        let visits = (0..<dimension).filter { $0 != depot }.map { node in
            PlanningVisit(
                id: String(node + 1), location: node, window: opens[node]...closes[node], duration: service[node],
                demand: Int(demand[node]))
        }
        let teams = (0..<vehicles).map {
            PlanningTeam(
                id: "vehicle \($0 + 1)", base: depot, shift: opens[depot]...closes[depot], capacity: capacity)
        }
        return PlanningProblem(visits: visits, teams: teams, travel: travel)
    }
}
