import Platform
import StationDomain
import Vocabulary

extension StationAPIHandler {
    /// The markets a caller of a staff operation reaches: every market for a machine client, else the staff
    /// user's `markets` claim; a market outside the result answers 404 like an unknown one. Partner tokens and
    /// tokens of the patients tenant never get here on a staff operation (``TokenReach/Operation/staffData``);
    /// they are refused here too so that no route can widen them to every market.
    static func staffMarkets(_ principal: Principal) throws -> MarketAccess {
        guard principal.partnerID == nil else {
            throw Problem.forbidden("Partner tokens may not use staff operations.")
        }
        guard TokenReach(principal).tenant != .patients else {
            throw Problem.forbidden("Tokens of the patients tenant may not use staff operations.")
        }
        return principal.isMachine ? .all : MarketAccess(claim: principal.markets)
    }
}
