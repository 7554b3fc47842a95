import CLMDB
import EnpingScenario
import EventLog
import Foundation
import Rehabilitation
@preconcurrency import Glibc

/// Figures 6–13, the rehabilitation domain's (issues 3 and 4), measured on the ledger that
/// figure 3's `recovery import` built from the same million events: rebuild, import with
/// validation, balance, audit, peak memory, statistics, alerts and the demo. Ratios are taken
/// against raw LMDB reads of that very store, in the same run.
enum DomainFigures {
    static func measure(
        store: String, jsonLines: String, importRate: Double, importSeconds: Double, recovery: String,
        folder: String, lookups: Int
    ) throws -> [FigureResult] {
        var figures: [FigureResult] = []
        let ledger = try Ledger.open(at: store)
        let raw = try RawEnvironment(sharing: ledger.log)
        let events = try raw.existingDatabase("events")
        let index = try raw.existingDatabase("by_participant")
        _ = try ScanFigure.rawScan(raw, events)
        let rawScan = try best(of: 3) { _ = try ScanFigure.rawScan(raw, events) }
        let eventCount = Double(try ledger.log.head().seq)
        let rawScanRate = eventCount / rawScan

        progress("6. rebuild…")
        let rebuild = try best(of: 3) { _ = try ledger.rebuild() }
        let rebuildRate = eventCount / rebuild
        // A rebuild that rewrites every state: adopting rules that re-price every check-in,
        // then the standard rules again (which leaves the store's figures as they were).
        let repriced = try PointsRules(document: PointsRules.defaultDocument.replacingOccurrences(of: "check_in = 2 ", with: "check_in = 3 "))
        var changedStates = 0
        let ruleChange = try best(of: 2) {
            changedStates = try ledger.adopt(repriced, actor: "bench").changed.count
            _ = try ledger.adopt(.standard, actor: "bench")
        } / 2
        figures.append(FigureResult(
            number: 6, name: "rebuild every projection",
            log: .init(value: rebuildRate, unit: "events/s", text: Report.rate(rebuildRate)),
            raw: .init(value: rawScanRate, unit: "events/s", text: Report.rate(rawScanRate)),
            ratio: rebuildRate / rawScanRate, ratioMeaning: "rebuild events/s ÷ raw cursor scan events/s",
            judged: rebuildRate / rawScanRate, judgedMeaning: "the ratio", goal: .atLeast(0.2), targetText: "ratio ≥ 0.2",
            notes: ["Ledger.rebuild() in-process on figure 3's store, \(Report.grouped(eventCount)) events, best of 3: \(Report.fixed(rebuild, 3)) s (one pass over the log split between \(ProcessInfo.processInfo.activeProcessorCount) cores, effects grouped by participant and applied on every core; states already equal to the recomputed ones are not rewritten)",
                    "after a rules change, `rules adopt` (the same rebuild, every state rewritten, plus the adoption event; durable commit): \(Report.fixed(ruleChange, 3)) s per adoption, \(changedStates) balances changed",
                    "raw: MDB_NEXT over the same events database, first byte summed, best of 3 warm: \(Report.fixed(rawScan * 1000, 1)) ms"]))

        figures.append(FigureResult(
            number: 7, name: "import with validation + projections",
            log: .init(value: importRate, unit: "events/s", text: Report.rate(importRate)),
            raw: .init(value: rawScanRate, unit: "events/s", text: "—"),
            ratio: 0, ratioMeaning: "none (absolute target)",
            judged: importRate, judgedMeaning: "the import's events/s", goal: .atLeast(80_000), targetText: "≥ 80,000 ev/s",
            notes: ["figure 3's import, which runs the privacy screen, the catalogue, the participant's state checks and the projection updates: \(Report.fixed(importSeconds, 2)) s"]))

        progress("8. balance…")
        let participants = try participantIds(ledger)
        var random = SplitMix64(seed: 0xBA1A_4CE)
        let chosen = (0 ..< 10_000).map { _ in participants[random.belowByRemainder(participants.count)] }
        let balanceSeconds = try best(of: 3) {
            var sum: Int64 = 0
            for participant in chosen { sum &+= try ledger.balance(of: participant)?.balance ?? 0 }
            blackHole(sum)
        }
        let balanceMicroseconds = balanceSeconds * 1e6 / Double(chosen.count)
        figures.append(FigureResult(
            number: 8, name: "balance, in-process",
            log: .init(value: balanceMicroseconds, unit: "µs", text: Report.fixed(balanceMicroseconds, 2) + " µs"),
            raw: .init(value: 0, unit: "µs", text: "—"),
            ratio: 0, ratioMeaning: "none (absolute target)",
            judged: balanceMicroseconds, judgedMeaning: "µs per call", goal: .atMost(20), targetText: "≤ 20 µs",
            notes: ["Ledger.balance(of:) for 10,000 random participants, each its own read transaction, best of 3"]))

        progress("9. audit…")
        let audited = Array(chosen.prefix(lookups))
        var auditedEvents = 0
        let auditSeconds = try best(of: 3) {
            auditedEvents = 0
            for participant in audited { auditedEvents += try ledger.audit(participant)?.rows.count ?? 0 }
        }
        let rawAuditSeconds = try best(of: 3) {
            for participant in audited {
                blackHole(try ParticipantReadFigure.rawRead(raw, index: index, events: events, participant: participant).checksum)
            }
        }
        let auditMicroseconds = auditSeconds * 1e6 / Double(audited.count)
        let rawAuditMicroseconds = rawAuditSeconds * 1e6 / Double(audited.count)
        figures.append(FigureResult(
            number: 9, name: "audit of one participant, in-process",
            log: .init(value: auditMicroseconds, unit: "µs", text: Report.fixed(auditMicroseconds, 1) + " µs"),
            raw: .init(value: rawAuditMicroseconds, unit: "µs", text: Report.fixed(rawAuditMicroseconds, 1) + " µs"),
            ratio: auditMicroseconds / rawAuditMicroseconds, ratioMeaning: "audit time ÷ raw index range scan plus fetches",
            judged: auditMicroseconds / rawAuditMicroseconds, judgedMeaning: "the ratio", goal: .atMost(3), targetText: "ratio ≤ 3",
            notes: ["Ledger.audit(_:) of \(audited.count) random participants (avg \(Report.fixed(Double(auditedEvents) / Double(audited.count), 1)) events): replay from the log, rules, projection read; best of 3",
                    "raw: read txn, MDB_SET_KEY + MDB_NEXT_DUP on by_participant, mdb_get of each event"]))

        progress("10. peak memory of import and rebuild…")
        let file = folder + "/domain-events.jsonl"
        guard FileManager.default.createFile(atPath: file, contents: Data(jsonLines.utf8)) else {
            throw ChildProcess.Failure(description: "cannot write \(file)")
        }
        let memoryStore = folder + "/memory-store"
        _ = try ChildProcess.run(recovery, ["init", "--store", memoryStore], outputIn: folder)
        let importPeak = try peakResidentMegabytes([recovery, "import", file, "--store", memoryStore], folder: folder)
        let rebuildPeak = try peakResidentMegabytes([recovery, "rebuild", "--store", memoryStore], folder: folder)
        let peak = max(importPeak, rebuildPeak)
        figures.append(FigureResult(
            number: 10, name: "peak memory, import and rebuild",
            log: .init(value: peak, unit: "MiB", text: Report.fixed(peak, 0) + " MiB"),
            raw: .init(value: 0, unit: "MiB", text: "—"),
            ratio: 0, ratioMeaning: "none (absolute target)",
            judged: peak, judgedMeaning: "the larger peak resident set", goal: .atMost(500), targetText: "< 500 MiB",
            notes: ["maximum resident set of `recovery import` (\(Report.fixed(importPeak, 0)) MiB) and `recovery rebuild` (\(Report.fixed(rebuildPeak, 0)) MiB) of \(Report.grouped(eventCount - 1)) events, from python3's getrusage(RUSAGE_CHILDREN) (an upper bound: it includes the small python parent)"]))

        progress("11. stats…")
        let stats = try best(of: 3) { blackHole(try ledger.statistics(year: 2022, asOf: CivilDate(year: 2022, month: 12, day: 31)!)) }
        let statsRate = eventCount / stats
        let statsCut = try best(of: 1) {
            blackHole(try ledger.statistics(year: 2022, asOf: CivilDate(year: 2022, month: 12, day: 31)!, cut: .seq(UInt64(eventCount) - 1)))
        }
        figures.append(FigureResult(
            number: 11, name: "stats --year over the whole ledger",
            log: .init(value: statsRate, unit: "events/s", text: Report.rate(statsRate)),
            raw: .init(value: rawScanRate, unit: "events/s", text: Report.rate(rawScanRate)),
            ratio: statsRate / rawScanRate, ratioMeaning: "ledger events ÷ stats time, over raw scan events/s",
            judged: statsRate / rawScanRate, judgedMeaning: "the ratio", goal: .atLeast(0.2), targetText: "ratio ≥ 0.2",
            notes: ["Ledger.statistics(year: 2022) at the head, from the projections kept current: \(Report.fixed(stats * 1000, 1)) ms, best of 3",
                    "with a cut one seq below the head (replaying the log to the cut): \(Report.fixed(statsCut, 2)) s"]))

        progress("12. alerts…")
        let registered = try ledger.statistics(year: 2022, asOf: CivilDate(year: 2022, month: 12, day: 31)!).city.registered
        var alertCount = 0
        let alerts = try best(of: 3) { alertCount = try ledger.alerts(on: CivilDate(year: 2023, month: 1, day: 10)!).count }
        figures.append(FigureResult(
            number: 12, name: "alerts over every participant",
            log: .init(value: alerts * 1000, unit: "ms", text: Report.fixed(alerts * 1000, 1) + " ms"),
            raw: .init(value: 0, unit: "ms", text: "—"),
            ratio: 0, ratioMeaning: "none (absolute target)",
            judged: alerts * 1000, judgedMeaning: "ms per call", goal: .atMost(100), targetText: "≤ 100 ms",
            notes: ["Ledger.alerts(on: 2023-01-10) in-process, \(Report.grouped(Double(participants.count))) participants (\(Report.grouped(Double(registered))) registered at the end of 2022), \(alertCount) alerts, best of 3"]))

        progress("13. demo…")
        let demo = try ChildProcess.run(recovery, ["demo"], outputIn: folder)
        guard demo.exitCode == 0 else { throw ChildProcess.Failure(description: "recovery demo failed: \(demo.standardError.prefix(500))") }
        figures.append(FigureResult(
            number: 13, name: "demo end to end",
            log: .init(value: demo.seconds, unit: "s", text: Report.fixed(demo.seconds, 2) + " s"),
            raw: .init(value: 0, unit: "s", text: "—"),
            ratio: 0, ratioMeaning: "none (absolute target)",
            judged: demo.seconds, judgedMeaning: "seconds", goal: .atMost(10), targetText: "≤ 10 s",
            notes: ["`recovery demo`: generate the Enping scenario, import it into a fresh ledger, verify, report 2022 and the alerts of 2023-01-10"]))
        return figures
    }

    /// The fastest of `runs` timings of `body`, in seconds.
    static func best(of runs: Int, _ body: () throws -> Void) throws -> Double {
        var fastest = Double.infinity
        for _ in 0 ..< runs {
            let watch = Stopwatch()
            try body()
            fastest = min(fastest, watch.elapsedSeconds)
        }
        return fastest
    }

    private static func participantIds(_ ledger: Ledger) throws -> [String] {
        var seen = Set<String>()
        var ids: [String] = []
        try ledger.log.scan { event in
            if !Ledger.isSystemStream(event.participant), seen.insert(event.participant).inserted { ids.append(event.participant) }
            return true
        }
        return ids
    }

    /// The peak resident set of a command, in MiB, read by a small python3 parent (whose own
    /// resident set, a few MiB, bounds the error; spawning from this process would count the
    /// bench's own memory, as glibc spawns through vfork).
    private static func peakResidentMegabytes(_ command: [String], folder: String) throws -> Double {
        let script = "import resource,subprocess,sys; r=subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            + "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
        let run = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script] + command, outputIn: folder)
        guard run.exitCode == 0, let kilobytes = Double(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ChildProcess.Failure(description: "measuring \(command.joined(separator: " ")) failed: \(run.standardError.prefix(500))")
        }
        return kilobytes / 1024
    }
}
