import Foundation
import Testing

/// Golden outputs of `audit` (and `rules diff`/`adopt`) for a hand-written scenario that
/// exercises every points rule: monthly caps, voids (of a capped check-in, of an adjustment,
/// after a redemption), redemptions, re-enrolment, events priced before any version, and a
/// rule change that adds versions. The chain hash depends on the time of recording, so it
/// is replaced by `<head-hash>` before comparing; everything else must match byte for byte.
/// Set RECOVERY_UPDATE_SNAPSHOTS=1 to rewrite the files (then review the diff by hand).
@Suite("Audit golden outputs")
struct AuditSnapshotTests {
    static let folder = IndependentChainCheckTests.root.appendingPathComponent("snapshots/audit")

    @Test("the scenario's audits, rule diff and adoption match the golden files")
    func scenario() throws {
        let temporary = try TemporaryStore().initialised()
        let imported = try temporary.recovery(["import", Self.folder.appendingPathComponent("scenario.jsonl").path])
        try #require(imported.status == 0, "import: \(imported.stderr)")
        let participants = ["P-A001", "P-B002", "P-C003"]
        for participant in participants {
            try expectSnapshot(try temporary.recovery(["audit", participant, "--format", "json"]), "\(participant).before.json")
            try expectSnapshot(try temporary.recovery(["audit", participant, "--lang", "en"]), "\(participant).before.txt")
        }
        let rules = Self.folder.appendingPathComponent("rules-2023.toml").path
        try expectSnapshot(try temporary.recovery(["rules", "diff", rules, "--json"]), "rules-diff.json")
        try expectSnapshot(try temporary.recovery(["rules", "adopt", rules, "--actor", "city-office", "--retroactive", "--reason", "the 2023 rules, adopted after they took effect", "--json"]), "rules-diff.json")
        for participant in participants {
            try expectSnapshot(try temporary.recovery(["audit", participant, "--format", "json"]), "\(participant).after.json")
        }
        try expectSnapshot(try temporary.recovery(["audit", "P-A001", "--at-seq", "39", "--format", "json"]), "P-A001.at-seq-39.json")
        #expect(try temporary.recovery(["rebuild", "--check"]).status == 0)
    }

    private func expectSnapshot(_ outcome: RecoveryBinary.Outcome, _ name: String) throws {
        #expect(outcome.status == 0, "\(name): \(outcome.stderr)")
        let actual = Self.masked(outcome.stdout)
        let file = Self.folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECOVERY_UPDATE_SNAPSHOTS"] == "1" {
            try Data(actual.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from the golden file")
    }

    /// Replaces every 64-hex-digit chain hash by `<head-hash>`.
    /// and the second local time of a table line (its recorded_at: when the test ran).
    static func masked(_ text: String) -> String {
        let hashes = text.replacingOccurrences(of: "[0-9a-f]{64}", with: "<head-hash>", options: .regularExpression)
        return hashes.split(separator: "\n", omittingEmptySubsequences: false).map { part -> String in
            var line = String(part)
            let times = line.ranges(of: #/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/#)
            guard times.count >= 2 else { return line }
            line.replaceSubrange(times[1], with: "<recorded-at>      ")
            return line
        }.joined(separator: "\n")
    }
}
