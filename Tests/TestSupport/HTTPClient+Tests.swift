import AsyncHTTPClient

extension HTTPClient {
    /// A client for tests that talk to a server over loopback. The Swift tiers start every test at once on two
    /// cores, so a connection may wait many seconds to be accepted: connecting gets 60 s (the default is 10 s),
    /// as long as a test's own patience (``TestBrowser``), so a test fails on what it checks, not on the load.
    package static func forTests(followingRedirects: Bool = true) -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                redirectConfiguration: followingRedirects ? nil : .disallow,
                timeout: .init(connect: .seconds(60))))
    }
}
