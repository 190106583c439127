import Foundation

/// The demo partners' ids and names, shared by every service's demo seed so they describe the same partners.
package enum DemoPartners {
    package static let sunriseID = UUID(uuidString: "5a7e0000-0000-4000-8000-000000000001")!
    package static let mercyID = UUID(uuidString: "5a7e0000-0000-4000-8000-000000000002")!

    package static let all: [(id: UUID, slug: String, name: String)] = [
        (sunriseID, "sunrise", "Sunrise Senior Living"),
        (mercyID, "mercy", "Mercy Home Health"),
    ]
}
