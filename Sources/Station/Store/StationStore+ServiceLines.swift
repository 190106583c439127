import Fluent
import Foundation
import StationDomain
import Vocabulary

extension StationStore {
    /// Creates a service line with a unique name and code, and records the change.
    func createServiceLine(_ settings: ServiceLineSettings, id: ServiceLineID = .random(), actor: String)
        async throws -> ServiceLineModel
    {
        let settings = try Self.valid { () throws(FieldErrors) in try settings.validated() }
        let at = timestamp()
        return try await write { db in
            try await Self.lockAdministration(on: db)
            for line in try await ServiceLineModel.query(on: db).all() {
                if line.name.lowercased() == settings.name.lowercased() {
                    throw AdminRefusal.taken(field: "name", value: settings.name)
                }
                if line.code == settings.code { throw AdminRefusal.taken(field: "code", value: settings.code) }
            }
            let line = ServiceLineModel(
                id: id.rawValue, name: settings.name, code: settings.code, visitMinutes: settings.visitMinutes)
            try await Self.refusingDuplicate(.taken(field: "name", value: settings.name)) {
                try await line.create(on: db)
            }
            try await Self.record(.serviceLineCreated, entity: id.wire, actor: actor, at: at, on: db)
            return line
        }
    }

    /// Sets how long a visit of a service line lasts, and records the change; nil for an unknown line.
    func setVisitLength(of id: ServiceLineID, minutes: Int, actor: String) async throws -> ServiceLineModel? {
        let minutes = try Self.valid { () throws(FieldErrors) in
            try ServiceLineSettings.validated(visitMinutes: minutes)
        }
        let at = timestamp()
        return try await write { db in
            try await Self.lockAdministration(on: db)
            guard let line = try await ServiceLineModel.find(id.rawValue, on: db) else { return nil }
            line.storedVisitMinutes = minutes
            try await line.update(on: db)
            try await Self.record(.serviceLineUpdated, entity: id.wire, actor: actor, at: at, on: db)
            return line
        }
    }
}
