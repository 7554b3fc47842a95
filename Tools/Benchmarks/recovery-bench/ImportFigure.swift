import Foundation

/// Figure 3: `recovery import` end to end, as a user runs it: a separate process reads the
/// JSON Lines file, parses and validates every line, appends them atomically and commits.
/// Its target is absolute (events per second); the raw column repeats figure 1's floor
/// (raw LMDB writing the same records) to show how much of the time storage accounts for.
enum ImportFigure {
    /// Imports timed, each on a fresh store (`store(round:in:)`).
    static let rounds = 2

    /// The store round `round` imported into; the last round's is served by figures 14–17.
    static func store(round: Int, in folder: String) -> String { folder + "/import-store-\(round)" }

    static func measure(
        workload: Workload, recovery: String, folder: String, rawEventsPerSecond: Double, runs: Int = rounds
    ) throws -> FigureResult {
        let file = folder + "/events.jsonl"
        guard FileManager.default.createFile(atPath: file, contents: Data(workload.jsonLines)) else {
            throw ChildProcess.Failure(description: "cannot write \(file)")
        }
        // Best of `runs`, each on a fresh store, as for figure 1.
        var times: [Double] = []
        for round in 1 ... runs {
            let store = Self.store(round: round, in: folder)
            let initialised = try ChildProcess.run(recovery, ["init", "--store", store], outputIn: folder)
            guard initialised.exitCode == 0 else {
                throw ChildProcess.Failure(description: "recovery init failed (exit \(initialised.exitCode)): \(initialised.standardError)")
            }
            let run = try ChildProcess.run(recovery, ["import", file, "--store", store, "--json"], outputIn: folder)
            guard run.exitCode == 0 else {
                throw ChildProcess.Failure(description: "recovery import failed (exit \(run.exitCode)): \(run.standardError.prefix(2_000))")
            }
            guard let appended = appendedCount(run.standardOutput), appended == workload.eventCount else {
                throw ChildProcess.Failure(
                    description: "recovery import reported \(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)); expected \(workload.eventCount) appended")
            }
            times.append(run.seconds)
        }
        let seconds = times.min()!
        let rate = Double(workload.eventCount) / seconds
        let megabytes = Double(workload.jsonLines.count) / 1_048_576
        return FigureResult(
            number: 3, name: "recovery import (JSONL, end to end)",
            log: .init(value: rate, unit: "events/s", text: Report.rate(rate)),
            raw: .init(value: rawEventsPerSecond, unit: "events/s", text: Report.rate(rawEventsPerSecond) + " (fig. 1)"),
            ratio: rate / rawEventsPerSecond, ratioMeaning: "import events/s ÷ figure 1's raw events/s (for information)",
            judged: rate, judgedMeaning: "the import's events/s",
            goal: .atLeast(100_000), targetText: "≥ 100,000 ev/s",
            notes: [
                "`recovery import FILE --store DIR --json` on a fresh store (after `recovery init`), process start to exit, best of \(runs): \(times.map { Report.fixed($0, 2) }.joined(separator: ", ")) s",
                "file: \(Report.fixed(megabytes, 1)) MiB, avg line \(Report.fixed(workload.averageLineBytes, 1)) B; the import also runs the rehabilitation domain (privacy screen, catalogue, participant states), which the raw floor does not",
            ])
    }

    /// The `appended` count of the import's JSON summary.
    private static func appendedCount(_ output: String) -> Int? {
        guard let range = output.range(of: "\"appended\":") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }
}
