import Vapor

extension Application {
    private struct StationEventSubscribersKey: StorageKey { typealias Value = [String] }

    /// The outbox destinations Station queues every event for, as `StationApp.configure` set them.
    var stationEventSubscribers: [String] {
        get { storage[StationEventSubscribersKey.self] ?? [] }
        set { storage[StationEventSubscribersKey.self] = newValue }
    }
}
