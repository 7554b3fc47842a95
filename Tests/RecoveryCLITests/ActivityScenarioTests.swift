import EnpingScenario
import Foundation
import Testing

/// `recovery activity` over the Enping scenario: golden tables for December 2022 and Q4 2022,
/// and the independent Python checker (written from docs/statistics.md) computing the same
/// documents for three months, a quarter and the year.
@Suite("Enping scenario: activity")
struct ActivityScenarioTests {
    @Test("golden outputs; the independent checker agrees for 2022-10, 2022-11, 2022-12, 2022-Q4 and 2022")
    func scenario() throws {
        let temporary = try TemporaryStore()
        let demo = try RecoveryBinary.run(["demo", "--store", temporary.store])
        try #require(demo.status == 0, "demo: \(demo.stderr)")
        let snapshots = EnpingScenarioTests()
        try snapshots.expectSnapshot(try temporary.recovery(["activity", "--month", "2022-12", "--lang", "zh"]), "activity-2022-12.txt")
        try snapshots.expectSnapshot(try temporary.recovery(["activity", "--quarter", "2022-Q4", "--lang", "zh"]), "activity-2022-Q4.txt")
        try snapshots.expectSnapshot(try temporary.recovery(["activity", "--month", "2022-12", "--format", "json"]), "activity-2022-12.json")

        let history = temporary.file("enping.jsonl")
        try Data(EnpingScenario.jsonLines().utf8).write(to: history)
        for period in [["--month", "2022-10"], ["--month", "2022-11"], ["--month", "2022-12"], ["--quarter", "2022-Q4"], ["--year", "2022"]] {
            let ours = try temporary.recovery(["activity", "--format", "json"] + period)
            try #require(ours.status == 0, "activity \(period): \(ours.stderr)")
            var report = try jsonObject(ours.stdout)
            let checked = try IndependentChainCheckTests.runPython(
                IndependentChainCheckTests.root.appendingPathComponent("Tools/enping_figures.py"),
                arguments: [history.path, "--activity", period[1]])
            try #require(checked.status == 0, "checker \(period): \(checked.stderr)")
            var independent = try jsonObject(checked.stdout)
            // The ledger's seq also counts init's rules adoption.
            #expect(report.removeValue(forKey: "head_seq") as? Int == (independent.removeValue(forKey: "events") as? Int).map { $0 + 1 })
            #expect(ActivityCommandTests.canonical(report) == ActivityCommandTests.canonical(independent), "\(period): the checker disagrees")
            // Real work was counted: check-ins and actors in every town.
            let towns = report["towns"] as? [[String: Any]] ?? []
            #expect(towns.count == 11 && towns.allSatisfy { (($0["totals"] as? [String: Any])?["check_in"] as? Int ?? 0) > 0 })
            #expect(towns.allSatisfy { !(($0["actors"] as? [Any]) ?? []).isEmpty })
        }
    }
}
