import DispatchPlanning
import Testing

@Suite("Locations: addresses at their ZIP code's centroid, each with an offset of its own")
struct LocationsTests {
    @Test("the bundled centroids know the demo markets' ZIP codes, each where the public data puts it")
    func bundled() throws {
        let locator = try ZipLocator.bundled()
        #expect(locator.count > 1_000)
        let denver = try #require(locator.centroid(of: "80202"))
        #expect(abs(denver.latitude - 39.7491) < 1e-4 && abs(denver.longitude - -104.9946) < 1e-4)
        for zip in ["80204", "80218", "85004", "85012", "89101", "89109"] {
            #expect(locator.centroid(of: zip) != nil, "\(zip)")
        }
        #expect(locator.centroid(of: "10001") == nil)
    }

    @Test("one address always lands on the same spot, within the spread; two addresses land apart")
    func offsets() throws {
        let locator = try ZipLocator(csv: "zip,latitude,longitude\n80202,39.7491,-104.9946\n", spread: 1.5)
        let centroid = try #require(locator.centroid(of: "80202"))
        let first = try #require(locator.place(zip: "80202", address: "1600 Larimer St"))
        #expect(locator.place(zip: "80202", address: "  1600   LARIMER st ") == first)
        let second = try #require(locator.place(zip: "80202", address: "1700 Larimer St"))
        #expect(GreatCircleTravel.kilometres(first, second) > 0.01)
        var farthest = 0.0
        for number in 1...300 {
            let spot = try #require(locator.place(zip: "80202", address: "\(number) Colfax Ave"))
            farthest = max(farthest, GreatCircleTravel.kilometres(centroid, spot))
        }
        #expect(farthest <= 1.5 + 1e-6)
        // Spread over the disc, not bunched at the centre.
        #expect(farthest > 1.2)
        #expect(locator.place(zip: "99999", address: "1 Main St") == nil)
    }

    @Test(
        "a line that does not read is refused with its number",
        arguments: [
            "zip,latitude,longitude\n80202,39.7,-104.9\n8020,39.7,-104.9", "80202,91,-104.9", "80202,39.7", "8020x,1,1",
        ])
    func malformed(csv: String) {
        #expect(throws: ZipLocator.Malformed.self) { try ZipLocator(csv: csv) }
    }

    @Test("comments and blank lines are skipped; Windows line endings read too")
    func comments() throws {
        let locator = try ZipLocator(csv: "# source\n\nzip,latitude,longitude\n80202,39.7491,-104.9946\n\n")
        #expect(locator.count == 1)
        let crlf = try ZipLocator(csv: "zip,latitude,longitude\r\n80202,39.7491,-104.9946\r\n80203,39.73,-104.98\r\n")
        #expect(crlf.count == 2)
        do {
            _ = try ZipLocator(csv: "zip,latitude,longitude\r\n80202,39.7491,-104.9946\r\n\r\nbad line\r\n")
            Issue.record("a bad line was accepted")
        } catch {
            #expect(error.line == 4)
        }
    }
}
