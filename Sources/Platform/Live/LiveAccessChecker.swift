import Foundation

/// Re-checks whether the viewers of open live streams may still listen, shared by every stream of one instance:
/// all viewers asked about recently are checked together in ONE batch (`load`) at most once per `interval`,
/// however many streams ask, instead of each stream querying the database on its own. A viewer seen for the
/// first time is checked at once (alone). A viewer no stream asked about for `forgetAfter` (by default three
/// intervals and a second) is forgotten.
///
/// `load` returns the viewers among those given that may still listen; when it fails, none may (as a single
/// failed check closed its stream before).
package actor LiveAccessChecker<Viewer: Hashable & Sendable> {
    package typealias Load = @Sendable ([Viewer]) async throws -> Set<Viewer>

    package let interval: Duration
    private let forgetAfter: Duration
    private let load: Load
    private var asked: [Viewer: ContinuousClock.Instant] = [:]
    /// Each viewer's verdict and when it was checked (alone when first seen, else by the last batch).
    private var verdicts: [Viewer: (allowed: Bool, at: ContinuousClock.Instant)] = [:]
    private var refreshing: Task<Void, Never>?

    package init(every interval: Duration, forgetAfter: Duration? = nil, load: @escaping Load) {
        self.interval = interval
        self.forgetAfter = forgetAfter ?? interval * 3 + .seconds(1)
        self.load = load
    }

    /// Whether `viewer` may still listen, as of a check at most `interval` ago.
    package func allowed(_ viewer: Viewer) async -> Bool {
        let now = ContinuousClock.now
        asked[viewer] = now
        guard let verdict = verdicts[viewer] else { return await checkAlone(viewer, at: now) }
        if now - verdict.at < interval { return verdict.allowed }
        await refresh()
        // A batch that started long after this ask (a stalled machine) may have forgotten it: check it alone.
        guard let refreshed = verdicts[viewer] else { return await checkAlone(viewer, at: now) }
        return refreshed.allowed
    }

    private func checkAlone(_ viewer: Viewer, at now: ContinuousClock.Instant) async -> Bool {
        let allowed = (try? await load([viewer]))?.contains(viewer) ?? false
        verdicts[viewer] = (allowed, now)
        return allowed
    }

    /// One batch check of every viewer asked about recently; callers arriving meanwhile wait for the same one.
    private func refresh() async {
        if let refreshing { return await refreshing.value }
        let task = Task { await checkAll() }
        refreshing = task
        await task.value
        refreshing = nil
    }

    private func checkAll() async {
        let started = ContinuousClock.now
        asked = asked.filter { started - $0.value < forgetAfter }
        verdicts = verdicts.filter { asked[$0.key] != nil }
        let viewers = Array(asked.keys)
        let allowed = (try? await load(viewers)) ?? []
        for viewer in viewers { verdicts[viewer] = (allowed.contains(viewer), started) }
    }
}
