import CLMDB
import EnpingScenario
import EventLog

/// Figure 5: one participant's stream (~100 events) read through the participant index
/// with `EventLog.events(of:)`, against the raw path (`MDB_SET_KEY` + `MDB_NEXT_DUP` on the
/// index, `mdb_get` of each event) in the same environment. Each read, on both sides, is
/// its own read transaction, as a request serving one participant would be.
enum ParticipantReadFigure {
    static func measure(workload: Workload, log: EventLog, logEnvironment: RawEnvironment, lookups: Int, passes: Int = 3) throws -> FigureResult {
        let events = try logEnvironment.existingDatabase("events")
        let index = try logEnvironment.existingDatabase("by_participant")
        var random = SplitMix64(seed: 0x5EA7_C4ED)
        let chosen = (0 ..< lookups).map { _ in random.belowByRemainder(workload.participantCount) }
        let names = chosen.map { workload.participantName($0) }

        func rawPass() throws(RawLMDBError) -> (count: Int, checksum: UInt64) {
            var count = 0
            var checksum: UInt64 = 0
            for name in names {
                let (found, sum) = try rawRead(logEnvironment, index: index, events: events, participant: name)
                count += found
                checksum &+= sum
            }
            return (count, checksum)
        }

        _ = try rawPass()
        var bestLog = Double.infinity
        var bestRaw = Double.infinity
        var logCount = 0
        var rawCount = 0
        for _ in 0 ..< passes {
            let watch = Stopwatch()
            var count = 0
            var checksum: UInt64 = 0
            for name in names {
                try log.events(of: name) { entry in
                    count += 1
                    checksum &+= entry.event.seq
                    return true
                }
            }
            bestLog = min(bestLog, watch.elapsedSeconds)
            logCount = count
            blackHole(checksum)

            let rawWatch = Stopwatch()
            let (found, sum) = try rawPass()
            bestRaw = min(bestRaw, rawWatch.elapsedSeconds)
            rawCount = found
            blackHole(sum)
        }
        guard logCount == rawCount else {
            throw RawLMDBError(code: 0, operation: "the log read \(logCount) indexed events, the raw path \(rawCount)")
        }
        let logMicroseconds = bestLog * 1e6 / Double(lookups)
        let rawMicroseconds = bestRaw * 1e6 / Double(lookups)
        let perParticipant = Double(logCount) / Double(lookups)
        return FigureResult(
            number: 5, name: "one participant's stream",
            log: .init(value: logMicroseconds, unit: "µs per participant", text: Report.fixed(logMicroseconds, 1) + " µs"),
            raw: .init(value: rawMicroseconds, unit: "µs per participant", text: Report.fixed(rawMicroseconds, 1) + " µs"),
            ratio: logMicroseconds / rawMicroseconds, ratioMeaning: "log time ÷ raw time",
            judged: logMicroseconds / rawMicroseconds, judgedMeaning: "the ratio",
            goal: .atMost(1.5), targetText: "ratio ≤ 1.5 (issue 9)",
            notes: [
                "mean over \(lookups) random participants (avg \(Report.fixed(perParticipant, 1)) events each), best of \(passes) passes, warm",
                "log: EventLog.events(of:) handing each event to the caller as a LoggedEntry (decoded event, hash and record copies)",
                "raw: read txn, MDB_SET_KEY + MDB_NEXT_DUP on by_participant, mdb_get of each event, first byte summed",
            ])
    }

    /// The raw floor of reading one participant's stream: one read transaction, the
    /// participant's range of the index (`MDB_SET_KEY` + `MDB_NEXT_DUP`), an `mdb_get` of each
    /// event, its first byte summed. Figure 9 (audit) uses it too.
    static func rawRead(
        _ environment: RawEnvironment, index: MDB_dbi, events: MDB_dbi, participant: String
    ) throws(RawLMDBError) -> (count: Int, checksum: UInt64) {
        try environment.withReadCursor(on: index) { transaction, cursor throws(RawLMDBError) in
            var count = 0
            var checksum: UInt64 = 0
            var name = participant
            let code = name.withUTF8 { utf8 -> Int32 in
                var key = MDB_val(mv_size: utf8.count, mv_data: UnsafeMutableRawPointer(mutating: utf8.baseAddress))
                var seq = MDB_val()
                var code = mdb_cursor_get(cursor, &key, &seq, MDB_SET_KEY)
                while code == 0 {
                    var value = MDB_val()
                    var seqKey = seq
                    let found = mdb_get(transaction, events, &seqKey, &value)
                    if found != 0 { return found }
                    count += 1
                    if value.mv_size > 0 { checksum &+= UInt64(value.mv_data!.load(as: UInt8.self)) }
                    code = mdb_cursor_get(cursor, &key, &seq, MDB_NEXT_DUP)
                }
                return code == MDB_NOTFOUND ? 0 : code
            }
            try RawLMDBError.check(code, "raw participant read")
            return (count, checksum)
        }
    }
}
