import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

// Placeholder so the package builds while the Station engineer writes these operations (issue 15).
extension StationAPIHandler {
    func cancelCareRequest(_ input: Operations.CancelCareRequest.Input) async throws
        -> Operations.CancelCareRequest.Output
    {
        .undocumented(statusCode: 501, .init())
    }

    func rescheduleCareRequest(_ input: Operations.RescheduleCareRequest.Input) async throws
        -> Operations.RescheduleCareRequest.Output
    {
        .undocumented(statusCode: 501, .init())
    }

    func searchPartnerCareRequests(_ input: Operations.SearchPartnerCareRequests.Input) async throws
        -> Operations.SearchPartnerCareRequests.Output
    {
        .undocumented(statusCode: 501, .init())
    }
}
