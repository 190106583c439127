import ConsoleDomain
import Testing
import Vocabulary

@Suite struct StaffMemberTests {
    @Test func marketAccessReadsTheClaim() {
        let market = MarketID.random()
        #expect(MarketAccess(claim: nil) == .only([]))
        #expect(MarketAccess(claim: ["*"]).allows(market))
        #expect(MarketAccess(claim: [market.wire, "nonsense"]) == .only([market]))
        #expect(!MarketAccess(claim: [MarketID.random().wire]).allows(market))
        let member = StaffMember(
            id: "s", email: "n@example.com", name: "N", roles: [.nurse], markets: .only([market]))
        #expect(member.holds(.nurse) && !member.holds(.dispatcher))
    }
}
