import Fluent
import Foundation
import StationDomain

final class ServiceLineModel: Model, @unchecked Sendable {
    static let schema = "service_lines"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "code") var code: String?
    @OptionalField(key: "visit_minutes") var storedVisitMinutes: Int?

    init() {}

    init(id: UUID, name: String, code: String? = nil, visitMinutes: Int? = nil) {
        self.id = id
        self.name = name
        self.code = code
        self.storedVisitMinutes = visitMinutes
    }

    /// How long a visit of this line lasts (the default for a line made before lines had a length).
    var visitMinutes: Int { storedVisitMinutes ?? ServiceLineSettings.defaultVisitMinutes }
}
