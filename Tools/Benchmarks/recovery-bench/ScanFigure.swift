import CLMDB
import EventLog

/// Figure 4: every event read and decoded by `EventLog.scanLayouts` (each record's numbers
/// decoded and its fields located and bounds-checked — the path rebuilds and replays use),
/// against a raw `MDB_NEXT` cursor walk that touches each value, in the same environment (the
/// same map). The scan that also materialises every string and data object
/// (`EventLog.scan`, a `StoredEvent` per event) is timed too and reported in a note. All run
/// warm: an untimed raw walk first, then the best of `passes` timed passes of each.
enum ScanFigure {
    static func measure(workload: Workload, log: EventLog, logEnvironment: RawEnvironment, passes: Int = 3) throws -> FigureResult {
        let events = try logEnvironment.existingDatabase("events")
        _ = try rawScan(logEnvironment, events)

        var bestLog = Double.infinity
        var bestMaterialised = Double.infinity
        var bestRaw = Double.infinity
        var logCount = 0
        var rawCount = 0
        for _ in 0 ..< passes {
            let watch = Stopwatch()
            var count = 0
            var checksum: UInt64 = 0
            try log.scanLayouts { _, layout in
                count += 1
                checksum &+= layout.seq &+ UInt64(truncatingIfNeeded: layout.at) &+ UInt64(truncatingIfNeeded: layout.recordedAt)
                return true
            }
            bestLog = min(bestLog, watch.elapsedSeconds)
            logCount = count
            blackHole(checksum)

            let materialising = Stopwatch()
            var materialised = 0
            try log.scan { event in
                materialised += event.type.utf8.count &+ event.participant.utf8.count
                return true
            }
            bestMaterialised = min(bestMaterialised, materialising.elapsedSeconds)
            blackHole(materialised)

            let rawWatch = Stopwatch()
            let (scanned, sum) = try rawScan(logEnvironment, events)
            bestRaw = min(bestRaw, rawWatch.elapsedSeconds)
            rawCount = scanned
            blackHole(sum)
        }
        guard logCount == rawCount else {
            throw RawLMDBError(code: 0, operation: "the log scanned \(logCount) events, the raw cursor \(rawCount)")
        }
        let logRate = Double(logCount) / bestLog
        let materialisedRate = Double(logCount) / bestMaterialised
        let rawRate = Double(rawCount) / bestRaw
        return FigureResult(
            number: 4, name: "full scan, decode every event",
            log: .init(value: logRate, unit: "events/s", text: Report.rate(logRate)),
            raw: .init(value: rawRate, unit: "events/s", text: Report.rate(rawRate)),
            ratio: logRate / rawRate, ratioMeaning: "log events/s ÷ raw events/s",
            judged: logRate / rawRate, judgedMeaning: "the ratio",
            goal: .atLeast(0.2), targetText: "ratio ≥ 0.2",
            notes: [
                "log: EventLog.scanLayouts over \(Report.grouped(Double(logCount))) events, decoding each record's numbers and locating and bounds-checking its fields: \(Report.fixed(bestLog * 1_000, 0)) ms",
                "also: EventLog.scan, materialising every event as a StoredEvent (strings and data object): \(Report.rate(materialisedRate)), ratio \(Report.fixed(materialisedRate / rawRate, 3)) (\(Report.fixed(bestMaterialised * 1_000, 0)) ms)",
                "raw: MDB_NEXT over the log's own events database, summing each value's first byte: \(Report.fixed(bestRaw * 1_000, 1)) ms (best of \(passes), warm)",
            ])
    }

    /// One read transaction, one cursor, every entry: the cheapest full read LMDB offers.
    static func rawScan(_ environment: RawEnvironment, _ database: MDB_dbi) throws(RawLMDBError) -> (count: Int, checksum: UInt64) {
        try environment.withReadCursor(on: database) { _, cursor throws(RawLMDBError) in
            var key = MDB_val()
            var value = MDB_val()
            var count = 0
            var checksum: UInt64 = 0
            var code = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
            while code == 0 {
                count += 1
                if value.mv_size > 0 { checksum &+= UInt64(value.mv_data!.load(as: UInt8.self)) }
                code = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
            }
            guard code == MDB_NOTFOUND else { throw RawLMDBError(code: code, operation: "mdb_cursor_get") }
            return (count, checksum)
        }
    }
}

/// Keeps a result alive so the optimiser cannot drop the loop that computed it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
