import Fluent
import Foundation

final class ServiceLineModel: Model, @unchecked Sendable {
    static let schema = "service_lines"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String

    init() {}

    init(id: UUID, name: String) {
        self.id = id
        self.name = name
    }
}
