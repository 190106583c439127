import DispatchPlanning
import Foundation
import Testing

@Suite("VRPLIB instance files (the Solomon benchmark as published by PyVRP)")
struct VRPLIBInstanceTests {
    static let solomon = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../benchmarks/data/solomon").standardized

    @Test("C101 reads as 100 customers, 25 vehicles of 200, and the planner's answer passes the independent check")
    func readsSolomon() throws {
        let text = try String(contentsOf: Self.solomon.appendingPathComponent("C101.vrp"), encoding: .utf8)
        let problem = try VRPLIBInstance.parse(text)
        #expect(problem.visits.count == 100)
        #expect(problem.teams.count == 25)
        #expect(problem.teams.allSatisfy { $0.capacity == 200 && $0.shift == 0...1236 })
        #expect(
            problem.visits[0].id == "2" && problem.visits[0].window == 912...967 && problem.visits[0].duration == 90)
        // Depot (40, 50) to customer 2 (45, 68): the exact Euclidean distance, unrounded.
        #expect(abs(problem.travel.time(0, 1) - (25.0 + 324.0).squareRoot()) < 1e-12)

        var planner = try DispatchPlanner(problem: problem)
        planner.optimise(PlannerOptions(iterations: 200, seed: 1, workers: 2))
        #expect(planner.plan.unplanned.isEmpty)
        #expect(violations(of: planner.plan, for: problem) == [])
    }

    @Test("numbers may be separated by tabs as well as spaces")
    func tabs() throws {
        let text =
            "NAME : X\nDIMENSION : 2\nVEHICLES : 1\nCAPACITY : 10\nNODE_COORD_SECTION\n1\t0\t0\n2\t3\t4\n"
            + "DEMAND_SECTION\n1 0\n2 1\nTIME_WINDOW_SECTION\n1 0 100\n2 10 50\nEOF\n"
        let problem = try VRPLIBInstance.parse(text)
        #expect(problem.travel.time(0, 1) == 5)
        #expect(problem.teams.map(\.capacity) == [10])
    }

    @Test(
        "a malformed file is refused with what is wrong, never a crash",
        arguments: [
            "NAME : X\nDIMENSION : 2\nNODE_COORD_SECTION\n1 0 0\nEOF\n",
            "NAME : X\nNODE_COORD_SECTION\n1 0 0\n",
            "NAME : X\nDIMENSION : 2\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 1\n"
                + "TIME_WINDOW_SECTION\n1 0 100\n2 50 10\nEOF\n",
            "NAME : X\nDIMENSION : 2\nNODE_COORD_SECTION\n1 0 0\n2 nan 1\nEOF\n",
            "what is this\n",
            "NAME : X\nDIMENSION : 2\nVEHICLES : -1\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 1\n"
                + "TIME_WINDOW_SECTION\n1 0 100\n2 10 50\nEOF\n",
        ])
    func malformed(text: String) {
        #expect(throws: VRPLIBInstance.FormatError.self) { try VRPLIBInstance.parse(text) }
    }
}
