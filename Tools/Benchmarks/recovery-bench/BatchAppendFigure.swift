import CLMDB
import EventLog

/// Figure 1: a million events appended through `EventLog.appendBatch` in one transaction,
/// against raw `MDB_APPEND` puts of the same stored values plus a participant index.
/// The difference is what the log adds per event: encoding, chain hashing, a third database
/// (the id index that makes appends idempotent) and the wrapper's copies.
enum BatchAppendFigure {
    struct Outcome {
        let result: FigureResult
        /// The raw floor's environment, now holding the same events (figure 2 appends to it).
        let rawEnvironment: RawEnvironment
        let rawEventsDatabase: MDB_dbi
        let records: StoredRecords
        let rawEventsPerSecond: Double
        /// The floor that does all of the log's LMDB operations, holding the same events.
        let likeLogEnvironment: RawEnvironment
    }

    /// Runs `rounds` rounds of log, floor and log-like floor, each on fresh stores, and keeps
    /// each side's best: a VM's hiccups and the process's first-touch page faults (which
    /// would otherwise all land on the log, measured first) fall out. `log` is filled in
    /// round 1; later rounds use stores of their own.
    static func measure(
        workload: Workload, log: EventLog, logEnvironment: RawEnvironment, scratch: ScratchFolder, rounds: Int = 3
    ) throws -> Outcome {
        var logRuns: [(seconds: Double, commit: Double)] = []
        var rawRuns: [(seconds: Double, commit: Double)] = []
        var likeLogRuns: [Double] = []
        var kept: (environment: RawEnvironment, events: MDB_dbi)?
        var keptLikeLog: RawEnvironment?
        var records: StoredRecords?
        var feeds = 0
        for round in 1 ... rounds {
            let roundLog = round == 1 ? log : try EventLog.create(at: scratch.path + "/log-store-\(round)")
            let (run, roundFeeds) = try logBatch(workload: workload, log: roundLog)
            logRuns.append(run)
            feeds = max(feeds, roundFeeds)
            // The same values, copied out of the log (untimed), for the raw floor.
            if records == nil {
                records = try StoredRecords.copy(from: logEnvironment, database: logEnvironment.existingDatabase("events"))
            }
            // The floor: one write transaction of MDB_APPEND puts and index puts, then commit.
            let raw = try rawBatch(
                workload: workload, records: records!, folder: try scratch.folder("raw-store-\(round)"), likeTheLog: false)
            rawRuns.append((raw.seconds, raw.commitSeconds))
            if kept == nil { kept = (raw.environment, raw.events) }
            // A floor that also keeps the log's third database, the id index (for the notes):
            // it splits the gap into LMDB work the log's design asks for and the log's own code.
            let likeLog = try rawBatch(
                workload: workload, records: records!, folder: try scratch.folder("raw-like-log-store-\(round)"), likeTheLog: true)
            likeLogRuns.append(likeLog.seconds)
            if keptLikeLog == nil { keptLikeLog = likeLog.environment }
        }
        let bestLog = logRuns.min { $0.seconds < $1.seconds }!
        let bestRaw = rawRuns.min { $0.seconds < $1.seconds }!
        let bestLikeLog = likeLogRuns.min()!

        let count = Double(workload.eventCount)
        let logRate = count / bestLog.seconds
        let rawRate = count / bestRaw.seconds
        func list(_ values: [Double]) -> String { values.map { Report.fixed($0, 2) }.joined(separator: ", ") + " s" }
        var notes = [
            "best of \(rounds) rounds on fresh stores; log runs \(list(logRuns.map(\.seconds))), raw runs \(list(rawRuns.map(\.seconds)))",
            "log: appendBatch of \(Report.grouped(count)) NewEvent values with ids, one transaction: \(Report.fixed(bestLog.seconds, 2)) s, of which commit (with fsync) \(Report.fixed(bestLog.commit, 2)) s",
            "raw: MDB_APPEND of the log's own stored values (avg \(Report.fixed(records!.averageSize, 1)) B) + MDB_APPENDDUP into a DUPSORT|DUPFIXED participant index, one transaction: \(Report.fixed(bestRaw.seconds, 2)) s, of which commit \(Report.fixed(bestRaw.commit, 2)) s",
            "raw also writing the log's third database, the id index (ids arrive in order: MDB_APPEND): \(Report.rate(count / bestLikeLog)) (\(Report.fixed(bestLikeLog, 2)) s); log events/s ÷ its events/s = \(Report.fixed(logRate / (count / bestLikeLog), 2))",
        ]
        if feeds > 1 { notes.append("the batch ran \(feeds) times: the map had to grow despite the reserve hint") }
        let result = FigureResult(
            number: 1, name: "batch append, 1 txn",
            log: .init(value: logRate, unit: "events/s", text: Report.rate(logRate)),
            raw: .init(value: rawRate, unit: "events/s", text: Report.rate(rawRate)),
            ratio: logRate / rawRate, ratioMeaning: "log events/s ÷ raw events/s",
            judged: logRate / rawRate, judgedMeaning: "the ratio",
            goal: .atLeast(0.5), targetText: "ratio ≥ 0.5", notes: notes)
        return Outcome(
            result: result, rawEnvironment: kept!.environment, rawEventsDatabase: kept!.events, records: records!,
            rawEventsPerSecond: rawRate, likeLogEnvironment: keptLikeLog!)
    }

    /// Every event through one `appendBatch`. `feed` would run again if the map had to grow
    /// mid-batch; the number of runs is returned so that it shows.
    static func logBatch(workload: Workload, log: EventLog) throws -> (run: (seconds: Double, commit: Double), feeds: Int) {
        var feeds = 0
        var fed: UInt64 = 0
        let watch = Stopwatch()
        let (_, summary) = try log.appendBatch { writer in
            feeds += 1
            for event in workload.events { try writer.append(event) }
            fed = Stopwatch.now()
        }
        let seconds = watch.elapsedSeconds
        let commit = Double(Stopwatch.now() - fed) / 1e9
        guard summary.appended == workload.eventCount else {
            throw RawLMDBError(code: 0, operation: "the log appended \(summary.appended) of \(workload.eventCount) events")
        }
        return ((seconds, commit), feeds)
    }

    /// One write transaction appending every record, then commit (with fsync). The floor puts
    /// each value with `MDB_APPEND` and its index entry with `MDB_APPENDDUP`; `likeTheLog`
    /// also writes an id index as the log does for ids that arrive in order (`MDB_APPEND`,
    /// no probe: an id above every stored one cannot be a duplicate).
    static func rawBatch(
        workload: Workload, records: StoredRecords, folder: String, likeTheLog: Bool
    ) throws -> (environment: RawEnvironment, events: MDB_dbi, seconds: Double, commitSeconds: Double) {
        let raw = try RawEnvironment(creatingIn: folder)
        let watch = Stopwatch()
        var transaction: OpaquePointer?
        try RawLMDBError.check(mdb_txn_begin(raw.pointer, nil, 0, &transaction), "mdb_txn_begin")
        var events: MDB_dbi = 0
        var index: MDB_dbi = 0
        var ids: MDB_dbi = 0
        var code = mdb_dbi_open(transaction, "events", UInt32(MDB_CREATE), &events)
        if code == 0 {
            code = mdb_dbi_open(transaction, "by_participant", UInt32(MDB_CREATE | MDB_DUPSORT | MDB_DUPFIXED), &index)
        }
        if code == 0, likeTheLog { code = mdb_dbi_open(transaction, "ids", UInt32(MDB_CREATE), &ids) }
        let width = workload.participantKeyWidth
        let idWidth = workload.idWidth
        if code == 0 {
            code = records.bytes.withUnsafeBytes { values in
                records.offsets.withUnsafeBufferPointer { offsets in
                    workload.participantKeyBytes.withUnsafeBytes { keys in
                        workload.idBytes.withUnsafeBytes { idBytes in
                            workload.participantOfEvent.withUnsafeBufferPointer { owners in
                                var seqBytes: UInt64 = 0
                                return withUnsafeMutableBytes(of: &seqBytes) { seqBuffer -> Int32 in
                                    for position in 0 ..< records.count {
                                        seqBuffer.storeBytes(of: UInt64(position + 1).bigEndian, as: UInt64.self)
                                        var id = MDB_val(
                                            mv_size: idWidth,
                                            mv_data: UnsafeMutableRawPointer(mutating: idBytes.baseAddress! + position * idWidth))
                                        var key = MDB_val(mv_size: 8, mv_data: seqBuffer.baseAddress)
                                        var value = MDB_val(
                                            mv_size: offsets[position + 1] - offsets[position],
                                            mv_data: UnsafeMutableRawPointer(mutating: values.baseAddress! + offsets[position]))
                                        var rc = mdb_put(transaction, events, &key, &value, UInt32(MDB_APPEND))
                                        if rc != 0 { return rc }
                                        var participant = MDB_val(
                                            mv_size: width,
                                            mv_data: UnsafeMutableRawPointer(mutating: keys.baseAddress! + Int(owners[position]) * width))
                                        var seq = MDB_val(mv_size: 8, mv_data: seqBuffer.baseAddress)
                                        rc = mdb_put(transaction, index, &participant, &seq, UInt32(MDB_APPENDDUP))
                                        if rc != 0 { return rc }
                                        if likeTheLog {
                                            var seqValue = MDB_val(mv_size: 8, mv_data: seqBuffer.baseAddress)
                                            rc = mdb_put(transaction, ids, &id, &seqValue, UInt32(MDB_APPEND))
                                            if rc != 0 { return rc }
                                        }
                                    }
                                    return 0
                                }
                            }
                        }
                    }
                }
            }
        }
        if code != 0 {
            mdb_txn_abort(transaction)
            throw RawLMDBError(code: code, operation: "raw batch append")
        }
        let committing = Stopwatch()
        try RawLMDBError.check(mdb_txn_commit(transaction), "mdb_txn_commit")
        return (raw, events, watch.elapsedSeconds, committing.elapsedSeconds)
    }
}
