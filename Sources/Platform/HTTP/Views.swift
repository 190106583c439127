import Foundation
import Leaf
import LeafKit
import Vapor

extension Application {
    /// Renders Leaf templates from a target's bundled `Views` folder, parsed once.
    package func useBundledViews(_ bundle: Bundle) throws {
        guard let views = bundle.url(forResource: "Views", withExtension: nil) else {
            throw ConfigurationError("The Views folder is missing from \(bundle.bundlePath).")
        }
        let directory = views.path.hasSuffix("/") ? views.path : views.path + "/"
        // Leaf's own provider turns its cache off in the development environment, which `serve` runs by default.
        self.views.use { app in
            var userInfo = app.leaf.userInfo
            userInfo["application"] = app
            return LeafRenderer(
                configuration: app.leaf.configuration, tags: app.leaf.tags, cache: app.leaf.cache,
                sources: app.leaf.sources, eventLoop: app.eventLoopGroup.next(), userInfo: userInfo)
        }
        // Not `.toVisibleFiles`: a build folder such as `.build` may hold the bundle.
        leaf.sources = .singleSource(
            NIOLeafFiles(
                fileio: fileio, limits: [.toSandbox, .requireExtensions],
                sandboxDirectory: directory, viewDirectory: directory))
        // Always cached: the templates ship inside the binary's bundle, so nothing edits them while it runs, and
        // re-reading and re-parsing them on every page cost about 5% of a page's CPU.
        leaf.cache.isEnabled = true
    }
}
