import Vapor

extension StationApp {
    /// `selfsched station check-capacity`: no window over capacity, and the counts of care requests and events.
    package static func check(_ app: Application) async throws -> StationCheck {
        try await store(app).check()
    }
}
