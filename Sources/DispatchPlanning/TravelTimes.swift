import Foundation

/// A place on the map, in degrees.
public struct Coordinate: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Where travel times come from. ``GreatCircleTravel`` is the built-in estimate; a routing engine (road network,
/// traffic) can take its place by answering the same question.
public protocol TravelTimeSource: Sendable {
    /// The travel time, in seconds, between every pair of `places`.
    func matrix(_ places: [Coordinate]) -> TravelMatrix
}

/// Travel time from the great-circle distance: the distance times a road factor (roads are longer than the
/// straight line), at an average speed for the market.
public struct GreatCircleTravel: TravelTimeSource {
    /// Road distance over straight-line distance.
    public var roadFactor: Double
    /// Average speed, in kilometres per hour.
    public var speed: Double

    public init(roadFactor: Double = 1.3, speed: Double = 40) {
        self.roadFactor = roadFactor
        self.speed = speed
    }

    public func matrix(_ places: [Coordinate]) -> TravelMatrix {
        TravelMatrix(count: places.count) { from, to in seconds(from: places[from], to: places[to]) }
    }

    /// The travel time between two places, in seconds.
    public func seconds(from: Coordinate, to: Coordinate) -> Double {
        Self.kilometres(from, to) * roadFactor / speed * 3600
    }

    /// The haversine distance on a sphere of the Earth's mean radius.
    public static func kilometres(_ a: Coordinate, _ b: Coordinate) -> Double {
        let radians = Double.pi / 180
        let dLatitude = (b.latitude - a.latitude) * radians
        let dLongitude = (b.longitude - a.longitude) * radians
        let h =
            sin(dLatitude / 2) * sin(dLatitude / 2) + cos(a.latitude * radians) * cos(b.latitude * radians)
            * sin(dLongitude / 2) * sin(dLongitude / 2)
        return 2 * 6371.0088 * asin(min(1, sqrt(h)))
    }
}
