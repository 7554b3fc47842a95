import Crypto
import EventLog

/// Figure 23 (issue 15): `EventLog.verify` over figure 1's log, in-process and warm, against
/// the floor the issue names: the SHA-256 chain over the same stored records, in memory, on
/// one core, `hash(n) = SHA-256(hash(n−1) ‖ record(n))` with nothing else done per record.
/// `verify` does that chain and, per event, the Merkle leaf and its share of the tree's nodes
/// (two more hashes), the record's canonical form (checked in place), and its entries of both
/// indexes (fingerprinted, then each index walked once), all split over every core in seq
/// ranges beside the two index walks: the ratio says how far those take it from the floor.
enum VerifyFigure {
    static let number = 23

    static func measure(log: EventLog, records: StoredRecords, passes: Int = 3) throws -> FigureResult {
        var bestVerify = Double.infinity
        var bestFloor = Double.infinity
        var events = 0
        var floorHead: [UInt8] = []
        for _ in 0 ..< passes {
            let watch = Stopwatch()
            let report = try log.verify(checkingWitness: false)
            bestVerify = min(bestVerify, watch.elapsedSeconds)
            guard report.ok else { throw ChildProcess.Failure(description: "figure 1's log does not verify: \(report.reason ?? "")") }
            events = report.events
            let floor = Stopwatch()
            floorHead = chain(records)
            bestFloor = min(bestFloor, floor.elapsedSeconds)
            guard ChainHash.hex(floorHead) == report.headHash else {
                throw ChildProcess.Failure(description: "the floor's chain does not end at verify's head hash")
            }
        }
        let verifyRate = Double(events) / bestVerify
        let floorRate = Double(records.count) / bestFloor
        return FigureResult(
            number: number, name: "verify, whole log",
            log: .init(value: verifyRate, unit: "events/s", text: Report.rate(verifyRate)),
            raw: .init(value: floorRate, unit: "hashes/s", text: Report.rate(floorRate)),
            ratio: verifyRate / floorRate, ratioMeaning: "verify events/s ÷ chain hashes/s",
            judged: verifyRate / floorRate, judgedMeaning: "the ratio",
            goal: .atLeast(0.5), targetText: "ratio ≥ 0.5 (issue 15)",
            notes: [
                "log: EventLog.verify in-process over \(Report.grouped(Double(events))) events (chain, Merkle tree, the canonical form checked in place, both indexes fingerprinted per event and walked once; seq ranges on every core beside the two index walks): \(Report.fixed(bestVerify, 2)) s, best of \(passes), warm",
                "floor: SHA-256(previous ‖ record) over the same \(Report.grouped(Double(records.count))) stored records in memory, one core, one hasher value a record: \(Report.fixed(bestFloor * 1_000, 0)) ms; it ends at verify's head hash",
            ])
    }

    /// The chain over the records (each stored value without its first 32 bytes), returning the head.
    static func chain(_ records: StoredRecords) -> [UInt8] {
        var previous = [UInt8](repeating: 0, count: 32)
        records.bytes.withUnsafeBytes { all in
            for index in 0 ..< records.count {
                let record = UnsafeRawBufferPointer(rebasing: all[(records.offsets[index] + 32) ..< records.offsets[index + 1]])
                var hasher = SHA256()
                hasher.update(data: previous)
                hasher.update(bufferPointer: record)
                let digest = hasher.finalize()
                digest.withUnsafeBytes { bytes in
                    for offset in 0 ..< 32 { previous[offset] = bytes[offset] }
                }
            }
        }
        return previous
    }
}
