import Fluent
import Foundation

final class ServiceLineModel: Model, @unchecked Sendable {
    static let schema = "service_lines"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "code") var code: String?

    init() {}

    init(id: UUID, name: String, code: String? = nil) {
        self.id = id
        self.name = name
        self.code = code
    }
}
