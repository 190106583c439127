import Foundation
import Vapor

extension IdentityService {
    /// Counts one more emailed link of `purpose` for `email` and for the client's address, or returns when the
    /// caller may ask again. Known and unknown addresses are counted alike, so a refusal tells nothing either.
    func admitMail(_ purpose: AccountTokenModel.Purpose, tenant: Tenant, email: String, req: Request) async throws
        -> Date?
    {
        let prefix = "mail-\(purpose.rawValue):"
        let address = req.remoteAddress?.ipAddress ?? "unknown"
        return try await throttle.admit(
            [
                (prefix + SignInThrottleStore.Keys.account(tenant: tenant, email: email), config.mailAccountThrottle),
                (prefix + "addr:\(address)", config.mailAddressThrottle),
            ], now: now())
    }

    /// The answer once the limit is reached: 429 with Retry-After, the same for every address.
    func tooManyEmails(retry: Date, req: Request) async throws -> Response {
        let seconds = max(1, Int(retry.timeIntervalSince(now()).rounded()))
        let wait = seconds < 90 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
        req.logger.info("emailed link throttled", metadata: ["outcome": "throttled"])
        let response = try await req.render(
            "check-email",
            CheckEmailPage(
                title: "Please wait", heading: "Please wait",
                message:
                    "We have sent several emails for this address or from your network. Wait \(wait) and try again."),
            status: .tooManyRequests)
        response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
        return response
    }
}
