import Fluent
import Foundation
import Vocabulary

/// Patients scheduling for themselves, their identity account linked to their record in Station.
extension OSSService {
    /// The Station patient linked to `account`, nil before their first request.
    func linkedPatient(of account: String) async throws -> PatientID? {
        try await PatientLinkModel.find(account, on: db).map { PatientID(rawValue: $0.patientID) }
    }

    /// Links `account` to `patient`, unless it is linked already.
    func link(account: String, to patient: PatientID) async throws {
        let link = PatientLinkModel()
        link.id = account
        link.patientID = patient.rawValue
        try await write { db in
            if try await PatientLinkModel.find(account, on: db) == nil { try await link.create(on: db) }
        }
    }
}
