import EventLog
import Foundation
import LMDB

/// Where the participant states live (docs/format.md §12.3b): in one of two databases, the one
/// the `projection` database's `states` key names. A rules adoption writes the re-priced states
/// into the other one over many small transactions and then switches the key in the one that
/// appends the adoption, so its memory is a round of states, not every page of the projection
/// dirty in one transaction (issue 15: 313 MiB at 10,000,000 events, of which 174 MiB pages).
extension Ledger {
    /// The two states databases; `participants` is current in a store that never switched.
    static let statesDatabases = (first: "participants", second: "participants_alt")
    static let statesKey = Array("states".utf8)
    /// The key an adoption's staging holds while it writes the other database: another
    /// adoption that starts meanwhile takes it over, and the first one then sees that.
    static let stagingKey = Array("staging".utf8)

    /// The database holding the current states, as `transaction` sees it.
    func states(in transaction: Transaction) throws -> Database {
        guard let marks = projectionMarks,
              let name = try transaction.value(in: marks, forKey: Self.statesKey, { String(decoding: $0.copiedBytes(), as: UTF8.self) }) else {
            return firstStates
        }
        return try statesDatabase(named: name)
    }

    /// The current states database for a rebuild: a `states` key that names neither database
    /// (damage) is removed, so that the rebuild recomputes every state into the first one.
    func statesRepairing(in transaction: WriteTransaction) throws -> Database {
        do {
            return try states(in: transaction)
        } catch LedgerError.damagedProjection {
            guard let marks = projectionMarks else { return firstStates }
            _ = try transaction.removeValue(forKey: Self.statesKey, in: marks)
            if let secondStates { try transaction.removeAllEntries(secondStates) }
            return firstStates
        }
    }

    /// The other states database: the one an adoption stages into.
    private func otherStates(in transaction: Transaction) throws -> Database {
        let current = try states(in: transaction)
        return try statesDatabase(named: current.name == Self.statesDatabases.first ? Self.statesDatabases.second : Self.statesDatabases.first)
    }

    private func statesDatabase(named name: String) throws -> Database {
        switch name {
        case Self.statesDatabases.first: return firstStates
        case Self.statesDatabases.second:
            guard let second = secondStates else {
                throw LedgerError.damagedProjection(reason: "the projection names the states database \(name), which this store lacks")
            }
            return second
        default:
            throw LedgerError.damagedProjection(reason: "the projection names an unknown states database (\(DisplayText.escaped(name)))")
        }
    }

    // MARK: Staged adoption

    /// What a staging wrote: the head its states reflect, the token it holds, where and how
    /// many states, and the balances and repriced events the replay found along the way.
    struct StagedStates {
        let head: UInt64
        let token: [UInt8]
        let target: Database
        let count: Int
        /// The durable transactions it took.
        let commits: Int
        let balances: [String: Int64]
        let repriced: Repricing
    }

    /// The bytes of states one staging transaction writes at most: its dirty pages, which LMDB
    /// keeps in memory until the commit, are about this much (the states go in key order, so
    /// pages fill). 8 MiB is small beside the replay's own batches (tens of MiB) and puts the
    /// 10,000,000-event projection (131 MiB staged) in about 20 durable commits.
    /// `RECOVERY_STAGING_BYTES` (at least 1,024) overrides it: the fault tests make stagings
    /// of many transactions on small ledgers, so that kills and races land between them.
    static let stagedBytesPerTransaction = ProcessInfo.processInfo.environment["RECOVERY_STAGING_BYTES"]
        .flatMap(Int.init).map { max(1_024, $0) } ?? 8 << 20
    /// Stagings an adoption tries before it falls back to one transaction (another writer
    /// appended while it staged, each time).
    static let stagingAttempts = 3

    /// Replays every participant under `rules` into the other states database, a few MiB per
    /// durable transaction (`bytesPerTransaction`), without touching the current one or the
    /// log. Nil when another adoption took the staging over (the caller starts again).
    func stageStates(rules: PointsRules, bytesPerTransaction: Int = stagedBytesPerTransaction) throws -> StagedStates? {
        var token = [UInt8](repeating: 0, count: 16)
        for index in token.indices { token[index] = UInt8.random(in: 0 ... 255) }
        // Nil only for a store opened read-only, where no write can succeed anyway.
        guard let marks = projectionMarks else { return nil }
        try stagingWrite { transaction in
            try transaction.removeAllEntries(try otherStates(in: transaction))
            _ = try transaction.put(token, forKey: Self.stagingKey, in: marks)
        }
        // One more commit before the replay's snapshot begins: LMDB reuses the pages a
        // transaction freed only for writers once every reader's snapshot is newer than it, so
        // the pages of a staging left behind (freed just above) would otherwise not serve this
        // one, and the file would grow by a projection.
        try stagingWrite { transaction in _ = try transaction.put(token, forKey: Self.stagingKey, in: marks) }
        var commits = 2
        return try reading { transaction -> StagedStates? in
            let head = try log.head(in: transaction).seq
            let target = try otherStates(in: transaction)
            var pending: [([UInt8], [UInt8])] = []
            var pendingBytes = 0
            var count = 0
            var balances: [String: Int64] = [:]
            var repriced = Repricing()
            var takenOver = false
            func flush() throws {
                guard !pending.isEmpty, !takenOver else { return }
                takenOver = try stagingWrite { write in
                    guard try write.bytes(in: marks, forKey: Self.stagingKey) == token else { return true }
                    // Key order into a database emptied above: appended, pages filled.
                    for (key, value) in pending {
                        // A put out of key order writes nothing: the replay's order is the index's.
                        guard try write.put(value, forKey: key, in: target, options: .append) else {
                            throw LogError.damagedStore(reason: "the stream index lists \(DisplayText.escaped(String(decoding: key, as: UTF8.self))) out of key order")
                        }
                    }
                    return false
                }
                count += pending.count
                commits += 1
                pending.removeAll(keepingCapacity: true)
                pendingBytes = 0
            }
            _ = try replayParticipants(in: transaction, rules: rules, through: head, encoding: true,
                                       comparing: try adoptedRules(in: transaction), batchEvents: Self.eventsPerComparingBatch) { batch in
                try repriced.add(batch, log: log, in: transaction)
                for (index, encoded) in batch.encoded.enumerated() {
                    balances[batch.participant(index)] = batch.states[index].balance
                    pending.append((batch.keys[index], encoded))
                    pendingBytes += batch.keys[index].count + encoded.count
                    if pendingBytes >= bytesPerTransaction { try flush() }
                }
            }
            try flush()
            guard !takenOver else { return nil }
            return StagedStates(head: head, token: token, target: target, count: count, commits: commits, balances: balances, repriced: repriced)
        }
    }

    /// A write transaction of the staging: no event, and the projection's mark left as it is
    /// (the current states are untouched).
    private func stagingWrite<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        try log.appendBatch { writer in try body(writer.transaction) }.result
    }

    /// The adoption's last transaction, when nothing was appended since `staged` was: checks
    /// that the staging is still this one's and complete, appends the adoption, makes the
    /// staged states current and empties the others. Nil (nothing written) when the log
    /// moved or another adoption took the staging over.
    func switchStates(to staged: StagedStates, document rules: PointsRules, actor: String, reason: String?) throws -> RulesDiff? {
        // Thrown to abandon the transaction: `writing` would otherwise commit it and move the
        // projection's mark to a head whose events the states may not reflect.
        struct Overtaken: Error {}
        do {
            return try writing { writer -> RulesDiff in
                let transaction = writer.transaction
                guard writer.head.seq == staged.head, let marks = projectionMarks,
                      try transaction.bytes(in: marks, forKey: Self.stagingKey) == staged.token else { throw Overtaken() }
                let current = try states(in: transaction)
                // The target is the other database, and holds exactly the states staged.
                guard current != staged.target, try transaction.entryCount(staged.target) == staged.count else {
                    throw LedgerError.damagedProjection(reason: "the staged states of the adoption are not those it wrote")
                }
                let before = try storedBalances(in: transaction)
                try writer.append(Self.rulesEvent(document: rules.document, actor: actor, at: writer.now, reason: reason))
                _ = try transaction.put(Array(staged.target.name.utf8), forKey: Self.statesKey, in: marks)
                _ = try transaction.removeValue(forKey: Self.stagingKey, in: marks)
                // Entry by entry (`removeAllEntries`): the old pages go back to LMDB's free list.
                try transaction.removeAllEntries(current)
                return Self.diff(before: before, after: staged.balances, repriced: (staged.repriced.events, staged.repriced.total))
            }.result
        } catch is Overtaken {
            return nil
        }
    }

    /// Empties the other states database and drops any staging's token (an adoption that
    /// wrote everything in one transaction): outside an adoption the other database is empty.
    func abandonStaging(in transaction: WriteTransaction) throws {
        guard let marks = projectionMarks else { return }
        _ = try transaction.removeValue(forKey: Self.stagingKey, in: marks)
        try transaction.removeAllEntries(try otherStates(in: transaction))
    }
}
