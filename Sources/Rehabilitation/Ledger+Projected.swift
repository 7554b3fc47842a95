import EventLog
import LMDB

/// The projection's mark: the seq through which it reflects the log, written in the same
/// transaction as every batch of the ledger. Events the ledger did not append (a writer that
/// went around it, a forged or foreign record) leave the mark behind the head, and readers see
/// it: `stats` replays the log instead of trusting the projection (and so meets any record the
/// catalogue does not know), `balance` and `alerts` refuse a stale projection, `verify` names
/// the first event without its effect.
extension Ledger {
    static let projectionDatabase = "projection"
    private static let throughKey = Array("through".utf8)

    /// Every write of the ledger after `create`: `body` in one write transaction of the log,
    /// and then, in that transaction, the mark at the head it leaves.
    func writing<T>(_ body: (BatchWriter) throws -> T) throws -> (result: T, summary: BatchSummary) {
        try log.appendBatch { writer in
            let result = try body(writer)
            try Self.markProjected(through: writer.head.seq, in: writer.transaction)
            return result
        }
    }

    /// Marks the projection as reflecting the log through `seq`, inside a write transaction.
    static func markProjected(through seq: UInt64, in transaction: WriteTransaction) throws {
        let database = try transaction.openDatabase(projectionDatabase, options: .create)
        _ = try transaction.put(Array(String(seq).utf8), forKey: throughKey, in: database)
    }

    /// The seq the projection reflects as `transaction` sees it; nil for a store made before
    /// the mark existed (its first batch writes one).
    func projectedThrough(in transaction: Transaction) throws -> UInt64? {
        guard let database = projectionMarks else { return nil }
        return try transaction.value(in: database, forKey: Self.throughKey) { bytes in
            guard let seq = UInt64(String(decoding: bytes.copiedBytes(), as: UTF8.self)) else {
                throw LedgerError.damagedProjection(reason: "the projection's mark cannot be read")
            }
            return seq
        }
    }

    /// Throws when the projection is known to lag the log's head `head` (see above).
    func requireCurrentProjection(head: UInt64, in transaction: Transaction) throws {
        if let through = try projectedThrough(in: transaction), through != head {
            throw LedgerError.damagedProjection(reason: "it reflects the log through seq \(through), but the log holds events through seq \(head) that the ledger did not apply")
        }
    }

    /// The first seq the projection does not reflect, with why; nil when it is current (or
    /// the store has no mark yet).
    public func projectionLag() throws -> (seq: UInt64, reason: String)? {
        try reading { transaction in
            let head = try log.head(in: transaction).seq
            guard let through = try projectedThrough(in: transaction), through != head else { return nil }
            return (min(through, head) + 1, "the projection reflects the log through seq \(through) only: events from seq \(through + 1) on were not appended through the ledger; recompute the projection with `recovery rebuild` after checking how they got there")
        }
    }
}
