import CLMDB
import EnpingScenario
import EventLog

/// Figure 2: one event appended and committed durably (fsync) on its own, as the CLI's
/// `append` does, against a single `mdb_put` + `mdb_txn_commit` in a default-flags
/// environment. Both are dominated by the disk's flush; the figure shows what the log adds.
/// Log and raw appends are interleaved (in rotating order) so that drifts in the disk's
/// latency hit both alike.
enum DurableAppendFigure {
    static func measure(
        workload: Workload, log: EventLog, raw: RawEnvironment, rawEvents: MDB_dbi, records: StoredRecords, count: Int,
        likeLog: RawEnvironment
    ) throws -> FigureResult {
        let likeLogEvents = try likeLog.existingDatabase("events")
        let likeLogIndex = try likeLog.existingDatabase("by_participant")
        let likeLogIds = try likeLog.existingDatabase("ids")
        var random = SplitMix64(seed: 0xD0AB_1E00)
        let warmUp = 5
        let total = warmUp + count
        // The events are made before timing; the durable appends go onto the million.
        let lastAt = workload.events.last?.at ?? 1_640_995_200_000
        let events = (0 ..< total).map { index in
            NewEvent(
                id: "durable-\(index + 1)", type: "check_in",
                participant: workload.participantName(random.belowByRemainder(workload.participantCount)),
                at: lastAt + Int64(index + 1) * 60_000, actor: "sw-encheng-01",
                data: .object(["channel": .string("online")]))
        }
        var nextRawSeq = UInt64(records.count + 1)
        var logNanoseconds: [UInt64] = []
        var rawNanoseconds: [UInt64] = []
        var likeLogNanoseconds: [UInt64] = []

        func logAppend(_ index: Int) throws {
            let watch = Stopwatch()
            _ = try log.append(events[index])
            if index >= warmUp { logNanoseconds.append(watch.elapsedNanoseconds) }
        }
        func rawAppend(_ index: Int) throws {
            let position = index % records.count
            let watch = Stopwatch()
            var transaction: OpaquePointer?
            try RawLMDBError.check(mdb_txn_begin(raw.pointer, nil, 0, &transaction), "mdb_txn_begin")
            var seqBytes = nextRawSeq.bigEndian
            let code = records.bytes.withUnsafeBytes { values in
                withUnsafeMutableBytes(of: &seqBytes) { seqBuffer in
                    var key = MDB_val(mv_size: 8, mv_data: seqBuffer.baseAddress)
                    var value = MDB_val(
                        mv_size: records.offsets[position + 1] - records.offsets[position],
                        mv_data: UnsafeMutableRawPointer(mutating: values.baseAddress! + records.offsets[position]))
                    return mdb_put(transaction, rawEvents, &key, &value, UInt32(MDB_APPEND))
                }
            }
            if code != 0 {
                mdb_txn_abort(transaction)
                throw RawLMDBError(code: code, operation: "raw durable put")
            }
            try RawLMDBError.check(mdb_txn_commit(transaction), "mdb_txn_commit")
            if index >= warmUp { rawNanoseconds.append(watch.elapsedNanoseconds) }
            nextRawSeq += 1
        }

        // For the notes: a raw commit doing the log's LMDB operations for these events (their
        // ids sort below the stored ones, so the id index is probed, then three puts).
        func likeLogAppend(_ index: Int) throws {
            let position = index % records.count
            let seq = UInt64(records.count + 1 + index)
            let id = Array("durable-\(index + 1)".utf8)
            let participant = Array(events[index].participant.utf8)
            let watch = Stopwatch()
            var transaction: OpaquePointer?
            try RawLMDBError.check(mdb_txn_begin(likeLog.pointer, nil, 0, &transaction), "mdb_txn_begin")
            var seqBytes = seq.bigEndian
            let code = records.bytes.withUnsafeBytes { values in
                id.withUnsafeBytes { idBytes in
                    participant.withUnsafeBytes { participantBytes in
                        withUnsafeMutableBytes(of: &seqBytes) { seqBuffer -> Int32 in
                            var idKey = MDB_val(mv_size: idBytes.count, mv_data: UnsafeMutableRawPointer(mutating: idBytes.baseAddress))
                            var existing = MDB_val()
                            let found = mdb_get(transaction, likeLogIds, &idKey, &existing)
                            if found != MDB_NOTFOUND { return found == 0 ? MDB_KEYEXIST : found }
                            var key = MDB_val(mv_size: 8, mv_data: seqBuffer.baseAddress)
                            var value = MDB_val(
                                mv_size: records.offsets[position + 1] - records.offsets[position],
                                mv_data: UnsafeMutableRawPointer(mutating: values.baseAddress! + records.offsets[position]))
                            var rc = mdb_put(transaction, likeLogEvents, &key, &value, UInt32(MDB_APPEND))
                            if rc != 0 { return rc }
                            var participantKey = MDB_val(
                                mv_size: participantBytes.count, mv_data: UnsafeMutableRawPointer(mutating: participantBytes.baseAddress))
                            var seqValue = MDB_val(mv_size: 8, mv_data: seqBuffer.baseAddress)
                            rc = mdb_put(transaction, likeLogIndex, &participantKey, &seqValue, UInt32(MDB_APPENDDUP))
                            if rc != 0 { return rc }
                            return mdb_put(transaction, likeLogIds, &idKey, &seqValue, UInt32(MDB_NOOVERWRITE))
                        }
                    }
                }
            }
            if code != 0 {
                mdb_txn_abort(transaction)
                throw RawLMDBError(code: code, operation: "raw durable append like the log")
            }
            try RawLMDBError.check(mdb_txn_commit(transaction), "mdb_txn_commit")
            if index >= warmUp { likeLogNanoseconds.append(watch.elapsedNanoseconds) }
        }

        for index in 0 ..< total {
            // Rotate the order so that none of the three always follows another.
            switch index % 3 {
            case 0: try logAppend(index); try rawAppend(index); try likeLogAppend(index)
            case 1: try rawAppend(index); try likeLogAppend(index); try logAppend(index)
            default: try likeLogAppend(index); try logAppend(index); try rawAppend(index)
            }
        }

        let logMedian = median(logNanoseconds)
        let rawMedian = median(rawNanoseconds)
        let logRate = 1e9 / logMedian
        let rawRate = 1e9 / rawMedian
        return FigureResult(
            number: 2, name: "durable single append",
            log: .init(value: logMedian / 1_000, unit: "µs median", text: Report.duration(nanoseconds: logMedian) + " (\(Report.rate(logRate)))"),
            raw: .init(value: rawMedian / 1_000, unit: "µs median", text: Report.duration(nanoseconds: rawMedian) + " (\(Report.rate(rawRate)))"),
            ratio: logRate / rawRate, ratioMeaning: "log events/s ÷ raw events/s (= raw median ÷ log median latency)",
            judged: logRate / rawRate, judgedMeaning: "the ratio",
            goal: .atLeast(0.8), targetText: "ratio ≥ 0.8",
            notes: [
                "\(count) EventLog.append calls (own transaction, fsync on commit) interleaved with \(count) raw mdb_put(MDB_APPEND) + mdb_txn_commit, after \(warmUp) warm-up rounds",
                "p90 log \(Report.duration(nanoseconds: percentile(logNanoseconds, 0.9))), raw \(Report.duration(nanoseconds: percentile(rawNanoseconds, 0.9)))",
                "raw doing the log's LMDB operations per commit (id probe; events, participant index and id index puts): median \(Report.duration(nanoseconds: median(likeLogNanoseconds))); log events/s ÷ its events/s = \(Report.fixed(median(likeLogNanoseconds) / logMedian, 2))",
            ])
    }

    static func median(_ samples: [UInt64]) -> Double { percentile(samples, 0.5) }

    static func percentile(_ samples: [UInt64], _ fraction: Double) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return Double(sorted[lower]) * (1 - weight) + Double(sorted[upper]) * weight
    }
}
