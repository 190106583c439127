import Foundation
import Platform
import Vapor

/// SMART Scheduling Links at `/fhir/r4/$bulk-publish` (owner: scheduling links; this is the lead's stub).
enum SchedulingLinksRoutes {
    static func register(_ app: Application, config: StationConfig, store: StationStore) throws {}
}
