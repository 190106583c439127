import Foundation
import Leaf
import LeafKit
import Vapor

extension Application {
    /// Renders Leaf templates from a target's bundled `Views` folder; cached outside development.
    public func useBundledViews(_ bundle: Bundle) throws {
        guard let views = bundle.url(forResource: "Views", withExtension: nil) else {
            throw ConfigurationError("The Views folder is missing from \(bundle.bundlePath).")
        }
        let directory = views.path.hasSuffix("/") ? views.path : views.path + "/"
        self.views.use(.leaf)
        // Not `.toVisibleFiles`: a build folder such as `.build` may hold the bundle.
        leaf.sources = .singleSource(NIOLeafFiles(fileio: fileio, limits: [.toSandbox, .requireExtensions],
                                                  sandboxDirectory: directory, viewDirectory: directory))
        leaf.cache.isEnabled = environment.isRelease
    }
}
