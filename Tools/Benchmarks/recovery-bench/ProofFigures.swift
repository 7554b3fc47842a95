import EventLog
import Foundation

/// Figures 18–22: the Merkle tree and its proofs (issue 12; docs/proofs.md). The batch append
/// with the tree against the same append into a format-1 store without one; proofs and
/// `verify --against` at the size of the run (1,000,000 events by default), each call timed on
/// its own, against one event read by seq through the log (the least any proof reads); the
/// tree's first build against hashing the same records in memory.
enum ProofFigures {
    static let numbers = 18 ... 22
    /// Proofs timed per figure.
    static let samples = 2_000

    static func measure(workload: Workload, log: EventLog, scratch: ScratchFolder, rounds: Int, only: Set<Int>) throws -> [FigureResult] {
        var figures: [FigureResult] = []
        if only.contains(18) { figures.append(try appendWithTree(workload: workload, scratch: scratch, rounds: rounds)) }
        let size = try log.head().seq
        var random = SystemRandomNumberGenerator()
        let floor = try eventReads(log: log, size: size, random: &random)
        if only.contains(19) {
            var nanoseconds: [UInt64] = []
            for _ in 0 ..< samples {
                let seq = UInt64.random(in: 1 ... size, using: &random)
                let watch = Stopwatch()
                let proof = try log.inclusionProof(seq: seq)
                nanoseconds.append(watch.elapsedNanoseconds)
                guard Merkle.rootFromInclusion(index: seq - 1, size: size, leafHash: Merkle.leafHash(Array(proof.entry.record)), proof: proof.path) == proof.root else {
                    throw ChildProcess.Failure(description: "an inclusion proof of seq \(seq) does not check")
                }
            }
            figures.append(latency(number: 19, name: "inclusion proof", nanoseconds: nanoseconds, floor: floor, size: size, boundMilliseconds: 1))
        }
        if only.contains(20) {
            var nanoseconds: [UInt64] = []
            for _ in 0 ..< samples {
                let old = UInt64.random(in: 1 ... size, using: &random)
                let watch = Stopwatch()
                let proof = try log.consistencyProof(from: old)
                nanoseconds.append(watch.elapsedNanoseconds)
                guard Merkle.isConsistent(from: old, to: size, oldRoot: proof.oldRoot, newRoot: proof.newRoot, proof: proof.path) else {
                    throw ChildProcess.Failure(description: "a consistency proof from \(old) does not check")
                }
            }
            figures.append(latency(number: 20, name: "consistency proof", nanoseconds: nanoseconds, floor: floor, size: size, boundMilliseconds: 1))
        }
        if only.contains(21) { figures.append(try treeBuild(workload: workload, scratch: scratch)) }
        if only.contains(22) { figures.append(try verifyAgainst(log: log, size: size, floor: floor, random: &random)) }
        return figures
    }

    /// One event read by seq, `samples` times at random seqs: the floor of every proof figure.
    private static func eventReads(log: EventLog, size: UInt64, random: inout SystemRandomNumberGenerator) throws -> [UInt64] {
        var nanoseconds: [UInt64] = []
        for _ in 0 ..< samples {
            let seq = UInt64.random(in: 1 ... size, using: &random)
            let watch = Stopwatch()
            guard try log.read({ try log.entry(at: seq, in: $0) }) != nil else { throw ChildProcess.Failure(description: "seq \(seq) missing") }
            nanoseconds.append(watch.elapsedNanoseconds)
        }
        return nanoseconds
    }

    private static func latency(number: Int, name: String, nanoseconds: [UInt64], floor: [UInt64], size: UInt64, boundMilliseconds: Double) -> FigureResult {
        let p99 = DurableAppendFigure.percentile(nanoseconds, 0.99)
        let floorP99 = DurableAppendFigure.percentile(floor, 0.99)
        return FigureResult(
            number: number, name: "\(name) p99 at \(Report.grouped(Double(size))) events",
            log: .init(value: p99 / 1e6, unit: "ms", text: Report.duration(nanoseconds: p99)),
            raw: .init(value: floorP99 / 1e6, unit: "ms", text: Report.duration(nanoseconds: floorP99)),
            ratio: p99 / floorP99, ratioMeaning: "proof p99 ÷ one event read's p99",
            judged: p99 / 1e6, judgedMeaning: "p99 in ms", goal: .atMost(boundMilliseconds), targetText: "p99 ≤ \(Report.fixed(boundMilliseconds, 0)) ms",
            notes: ["\(samples) proofs at random seqs/sizes, each timed alone, in-process, warm; median \(Report.duration(nanoseconds: DurableAppendFigure.median(nanoseconds))); floor: one event read by seq through the log (median \(Report.duration(nanoseconds: DurableAppendFigure.median(floor))))"])
    }

    /// Figure 18: the whole workload in one batch into a store with the tree and into one
    /// without (format 1), fresh stores each round, best of `rounds` each.
    private static func appendWithTree(workload: Workload, scratch: ScratchFolder, rounds: Int) throws -> FigureResult {
        var with: [Double] = []
        var without: [Double] = []
        for round in 1 ... rounds {
            // Alternate which goes first, so neither always meets a warmer page cache.
            for withTree in round % 2 == 0 ? [true, false] : [false, true] {
                let folder = scratch.path + "/tree-\(withTree ? "on" : "off")-\(round)"
                let log = try EventLog.create(at: folder, withTree: withTree)
                let seconds = try BatchAppendFigure.logBatch(workload: workload, log: log).run.seconds
                if withTree { with.append(seconds) } else { without.append(seconds) }
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
        let count = Double(workload.eventCount)
        let withRate = count / with.min()!
        let withoutRate = count / without.min()!
        func list(_ values: [Double]) -> String { values.map { Report.fixed($0, 2) }.joined(separator: ", ") + " s" }
        return FigureResult(
            number: 18, name: "batch append with the tree",
            log: .init(value: withRate, unit: "events/s", text: Report.rate(withRate)),
            raw: .init(value: withoutRate, unit: "events/s", text: Report.rate(withoutRate)),
            ratio: withRate / withoutRate, ratioMeaning: "with the tree ÷ without it (format 1)",
            judged: withRate / withoutRate, judgedMeaning: "the ratio", goal: .atLeast(0.9), targetText: "ratio ≥ 0.9",
            notes: ["best of \(rounds) rounds each, fresh stores, one transaction of \(Report.grouped(count)) events; with: \(list(with)); without: \(list(without))"])
    }

    /// Figure 21: a format-1 store of the workload given its tree by opening it (untimed fill).
    private static func treeBuild(workload: Workload, scratch: ScratchFolder) throws -> FigureResult {
        let folder = scratch.path + "/tree-build"
        do {
            let old = try EventLog.create(at: folder, withTree: false)
            _ = try BatchAppendFigure.logBatch(workload: workload, log: old)
        }
        var records: [[UInt8]] = []
        records.reserveCapacity(workload.eventCount)
        let opened: EventLog
        do {
            let reader = try EventLog.open(at: folder, clock: EventLog.systemClock, upgradingTree: false)
            try reader.scanEntries { records.append(Array($0.record)); return true }
            let watch = Stopwatch()
            opened = try reader.upgradeTree()
            let seconds = watch.elapsedSeconds
            // The floor: the leaf hashes of the same records, in memory, one core.
            let hashing = Stopwatch()
            var check: UInt8 = 0
            for record in records { check ^= Merkle.leafHash(record)[0] }
            let floorSeconds = hashing.elapsedSeconds
            guard try opened.verify().ok else { throw ChildProcess.Failure(description: "the built tree does not verify") }
            try? FileManager.default.removeItem(atPath: folder)
            return FigureResult(
                number: 21, name: "building the tree of an existing ledger",
                log: .init(value: seconds, unit: "s", text: Report.fixed(seconds, 2) + " s"),
                raw: .init(value: floorSeconds, unit: "s", text: Report.fixed(floorSeconds, 2) + " s"),
                ratio: seconds / floorSeconds, ratioMeaning: "build ÷ leaf-hashing the records in memory",
                judged: seconds, judgedMeaning: "seconds", goal: .atMost(2), targetText: "≤ 2 s at 1,000,000 events",
                notes: ["\(Report.grouped(Double(records.count))) events; one write transaction (scan, hash, MDB_APPEND of the level ≥ 4 nodes, commit with fsync); floor: SHA-256 of 0x00 ‖ record for each record, in memory (check byte \(check))"])
        }
    }

    /// Figure 22: what `recovery verify --against` does, in-process: open the signed
    /// checkpoint, the ledger's root at its size, the consistency path to the current root.
    private static func verifyAgainst(log: EventLog, size: UInt64, floor: [UInt64], random: inout SystemRandomNumberGenerator) throws -> FigureResult {
        let key = try SignedNote.SignerKey.generate(name: "bench.recovery-ledger")
        var nanoseconds: [UInt64] = []
        for _ in 0 ..< 200 {
            let old = UInt64.random(in: 1 ... size, using: &random)
            let note = try key.sign(Checkpoint(origin: key.name, size: old, root: try log.treeRoot(size: old).root, extensions: ["hash sha-256"]).text)
            let watch = Stopwatch()
            let checkpoint = try Checkpoint(text: try SignedNote.open(note, key: key.verifier))
            let proof = try log.consistencyProof(from: checkpoint.size)
            let ok = proof.oldRoot == checkpoint.root
                && Merkle.isConsistent(from: checkpoint.size, to: proof.new, oldRoot: checkpoint.root, newRoot: proof.newRoot, proof: proof.path)
            nanoseconds.append(watch.elapsedNanoseconds)
            guard ok else { throw ChildProcess.Failure(description: "the ledger does not extend its own checkpoint of size \(old)") }
        }
        var figure = latency(number: 22, name: "verify --against an old checkpoint", nanoseconds: nanoseconds, floor: floor, size: size, boundMilliseconds: 10)
        figure.notes = ["200 checkpoints of random sizes signed beforehand; timed: the signature check, the roots at the checkpoint's size and now with the consistency path between them (one pass), and its check; median \(Report.duration(nanoseconds: DurableAppendFigure.median(nanoseconds))), in-process (the command adds its process start and the store's opening)"]
        return figure
    }
}
