import EnpingScenario
import Foundation
import Testing

/// The Enping 2022 reference scenario: imported through the ordinary import, it gives the
/// city's published 2022 figures exactly; its report and alerts match the golden files byte
/// for byte; and an independent Python implementation of the definitions agrees with
/// `recovery stats` for the city and every town.
@Suite("Enping 2022 reference scenario")
struct EnpingScenarioTests {
    static let snapshots = IndependentChainCheckTests.root.appendingPathComponent("snapshots/enping")

    @Test("the same seed gives the same bytes")
    func deterministic() {
        #expect(EnpingScenario.jsonLines(seed: 2022) == EnpingScenario.jsonLines(seed: 2022))
        #expect(EnpingScenario.jsonLines(seed: 2022) != EnpingScenario.jsonLines(seed: 7))
    }

    @Test("demo, published figures, golden report and alerts, independent cross-check")
    func scenario() throws {
        let temporary = try TemporaryStore()
        let demo = try RecoveryBinary.run(["demo", "--store", temporary.store])
        try #require(demo.status == 0, "demo: \(demo.stderr)")
        #expect(demo.stdout.contains("Published 2022 figures vs the ledger (all match)"))

        let stats = try temporary.recovery(["stats", "--year", "2022", "--format", "json"])
        let report = try jsonObject(stats.stdout)
        let city = try #require(report["city"] as? [String: Any])
        #expect(city["employment_rate"] as? Double == 0.96)
        #expect(city["insurance_rate"] as? Double == 0.97)
        #expect(city["abstinent_3y_rate"] as? Double == 0.808)
        let placements = try #require(city["placements"] as? [String: Int])
        #expect(placements == ["enterprise": 74, "self_employment": 4, "public_welfare": 7])
        #expect(city["employer_subsidies_fen"] as? Int == 20_800_000)
        #expect(city["training"] as? [String: Int] == ["vocational": 1664, "agricultural": 1995])
        let aid = try #require(city["aid"] as? [String: Any])
        #expect((aid["subsistence"] as? [String: Any])?["recipients"] as? Int == 50)
        #expect((aid["temporary"] as? [String: Any])?["recipients"] as? Int == 154)
        #expect(aid["total_fen"] as? Int == 40_000_000)
        let relapse = try #require(city["relapse"] as? [String: [String: Any]])
        #expect(relapse["community_detox"]?["relapse_change"] as? Double == -0.1876)
        #expect(relapse["community_rehab"]?["relapse_change"] as? Double == -0.7446)
        // Issue 14's three: +18.85% (671/987 in 2021 against 808/1000), zero growth (40 and 40),
        // consolidation above 90% (1 − 23/387; 2021 below).
        #expect(city["abstinent_3y_change"] as? Double == 0.1885)
        #expect(city["new_enrollments_change"] as? Double == 0)
        #expect(city["consolidation"] as? NSDictionary == ["participants": 387, "relapsed": 23, "rate": 0.9406] as NSDictionary)
        for figure in ["abstinent three years, change on the year", "consolidation rate 2021", "new enrolments, change on the year"] {
            #expect(demo.stdout.split(separator: "\n").contains { $0.hasPrefix(figure) && $0.hasSuffix("yes") }, "demo prints \(figure) beside the published value")
        }

        try expectSnapshot(stats, "stats-2022.json")
        try expectSnapshot(try temporary.recovery(["stats", "--year", "2022", "--lang", "zh"]), "stats-2022.txt")
        try expectSnapshot(try temporary.recovery(["stats", "--year", "2022", "--format", "csv"]), "stats-2022.csv")
        try expectSnapshot(try temporary.recovery(["alerts", "--as-of", "2023-01-10", "--format", "json"]), "alerts-2023-01-10.json")
        try expectSnapshot(try temporary.recovery(["alerts", "--as-of", "2023-01-10", "--lang", "zh"]), "alerts-2023-01-10.txt")

        // The Python checker, written from the definitions alone, computes the same figures.
        let history = temporary.file("enping.jsonl")
        try Data(EnpingScenario.jsonLines().utf8).write(to: history)
        let checked = try IndependentChainCheckTests.runPython(
            IndependentChainCheckTests.root.appendingPathComponent("Tools/enping_figures.py"), arguments: [history.path, "--expect-enping"])
        #expect(checked.status == 0, "checker: \(checked.stderr)")
        let independent = try jsonObject(checked.stdout)
        #expect(NSDictionary(dictionary: try #require(independent["city"] as? [String: Any])).isEqual(to: city))
        #expect(NSDictionary(dictionary: try #require(independent["towns"] as? [String: Any]))
            .isEqual(to: try #require(report["towns"] as? [String: Any])))

        // An earlier cut and a mid-year as-of day agree with the checker too.
        let cut = try jsonObject(try temporary.recovery(["stats", "--year", "2021", "--as-of", "2021-06-30", "--at-seq", "60001", "--json"]).stdout)
        let cutChecked = try jsonObject(try IndependentChainCheckTests.runPython(
            IndependentChainCheckTests.root.appendingPathComponent("Tools/enping_figures.py"),
            arguments: [history.path, "--year", "2021", "--as-of", "2021-06-30", "--at-seq", "60000"]).stdout)
        #expect(NSDictionary(dictionary: try #require(cutChecked["city"] as? [String: Any])).isEqual(to: try #require(cut["city"] as? [String: Any])))
        #expect(NSDictionary(dictionary: try #require(cutChecked["towns"] as? [String: Any])).isEqual(to: try #require(cut["towns"] as? [String: Any])))
        // 2021 at the head, whose own changes compare with 2020: every town agrees too.
        let year2021 = try jsonObject(try temporary.recovery(["stats", "--year", "2021", "--json"]).stdout)
        let checked2021 = try jsonObject(try IndependentChainCheckTests.runPython(
            IndependentChainCheckTests.root.appendingPathComponent("Tools/enping_figures.py"), arguments: [history.path, "--year", "2021"]).stdout)
        for scope in ["city", "towns"] {
            #expect(NSDictionary(dictionary: try #require(checked2021[scope] as? [String: Any])).isEqual(to: try #require(year2021[scope] as? [String: Any])))
        }
        let city2021 = try #require(year2021["city"] as? [String: Any])
        #expect(city2021["registered"] as? Int == 987 && city2021["abstinent_3y"] as? Int == 671 && city2021["new_enrollments"] as? Int == 40)
        #expect(city2021["consolidation"] as? NSDictionary == ["participants": 513, "relapsed": 47, "rate": 0.9084] as NSDictionary)
    }

    func expectSnapshot(_ outcome: RecoveryBinary.Outcome, _ name: String) throws {
        #expect(outcome.status == 0, "\(name): \(outcome.stderr)")
        let file = Self.snapshots.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECOVERY_UPDATE_SNAPSHOTS"] == "1" {
            try Data(outcome.stdout.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(outcome.stdout == expected, "\(name) differs from the golden file")
    }
}
