import Fluent
import Foundation

/// A care request with everything a caller sees of it.
struct CareRequestRecord: Sendable {
    var model: CareRequestModel
    var patient: Patient
    var market: MarketModel
    var serviceLine: ServiceLineModel
    var history: [StatusChange]
}

/// One row of a care request list.
struct CareRequestListItem: Sendable {
    var model: CareRequestModel
    var patientName: String
    var market: MarketModel
    var serviceLine: ServiceLineModel
}

enum CareRequestListScope: Sendable {
    case partner(PartnerID, phase: CareRequestPhase?, status: CareRequestStatus?)
    case patient(PatientID)
}

extension StationStore {
    /// Newest first, keyset-paginated on (created_ms, id).
    func listCareRequests(_ scope: CareRequestListScope, after cursor: PageCursor?, limit: Int) async throws -> Page<CareRequestListItem> {
        let q = CareRequestModel.query(on: db)
        switch scope {
        case .partner(let partner, let phase, let status):
            q.filter(\.$partnerID == partner.rawValue)
            if let phase { q.filter(\.$phase == phase.rawValue) }
            if let status { q.filter(\.$status == status.rawValue) }
        case .patient(let patient):
            q.filter(\.$patientID == patient.rawValue)
        }
        if let cursor, let ms = Int64(cursor.keys[0]) {
            // The redundant bound lets every database seek the index instead of scanning from the top.
            q.filter(\.$createdMs <= ms)
            q.group(.or) { or in
                or.filter(\.$createdMs < ms)
                or.filter(\.$id < cursor.id)
            }
        }
        let rows = try await q.sort(\.$createdMs, .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map {
            PageCursor(kind: .careRequests, keys: [String($0.createdMs)], id: $0.id!)
        } : nil

        let patientIDs = Set(page.map(\.patientID))
        let patients = patientIDs.isEmpty ? [] : try await PatientModel.query(on: db).filter(\.$id ~~ patientIDs).all()
        let names = Dictionary(uniqueKeysWithValues: patients.map { ($0.id!, "\($0.givenName) \($0.familyName)") })
        let reference = try await referenceData()
        let items = page.compactMap { model -> CareRequestListItem? in
            guard let market = reference.markets[model.marketID], let line = reference.serviceLines[model.serviceLineID]
            else { return nil }
            return CareRequestListItem(model: model, patientName: names[model.patientID] ?? "", market: market, serviceLine: line)
        }
        return Page(items: items, nextCursor: next)
    }

    func careRequest(_ id: CareRequestID) async throws -> CareRequestRecord? {
        try await careRequest(id, on: db)
    }

    func careRequest(_ id: CareRequestID, on db: any Database) async throws -> CareRequestRecord? {
        guard let model = try await CareRequestModel.find(id.rawValue, on: db),
              let patient = try await PatientModel.find(model.patientID, on: db),
              let market = try await MarketModel.find(model.marketID, on: db),
              let line = try await ServiceLineModel.find(model.serviceLineID, on: db)
        else { return nil }
        let history = try await StatusChangeModel.query(on: db)
            .filter(\.$careRequestID == model.id!)
            .sort(\.$changedAt).all()
        return CareRequestRecord(model: model, patient: patient.domain, market: market, serviceLine: line,
                                 history: history.map(\.domain))
    }

    private func referenceData() async throws -> (markets: [UUID: MarketModel], serviceLines: [UUID: ServiceLineModel]) {
        let markets = try await MarketModel.query(on: db).all()
        let lines = try await ServiceLineModel.query(on: db).all()
        return (Dictionary(uniqueKeysWithValues: markets.map { ($0.id!, $0) }),
                Dictionary(uniqueKeysWithValues: lines.map { ($0.id!, $0) }))
    }
}
