import EventLog
import Foundation
import LMDB

/// Rebuilding: every projection recomputed from the log, a batch of participants at a time.
extension Ledger {
    /// Drops every projection and recomputes it from the log with the adopted rules.
    public func rebuild() throws -> RebuildReport {
        let started = Date()
        let (outcome, _) = try writing { writer in
            try rebuild(in: writer.transaction, rules: try adoptedRules(in: writer.transaction))
        }
        return RebuildReport(events: outcome.events, participants: outcome.participants, seconds: Date().timeIntervalSince(started))
    }

    /// Recomputes the projections aside and compares them with the stored ones, changing nothing.
    /// Each recomputed state is compared with the stored one as its batch arrives; then the
    /// stored states of participants the log does not know are listed: memory holds one round
    /// of the replay and the differences.
    public func checkProjections() throws -> ProjectionCheck {
        try reading { transaction in
            let head = try log.head(in: transaction).seq
            let stored = try states(in: transaction)
            var differences: [ProjectionCheck.Difference] = []
            var known = ParticipantSet()
            let events = try replayParticipants(in: transaction, rules: try adoptedRules(in: transaction), through: head) { batch in
                for (index, rebuilt) in batch.states.enumerated() {
                    known.insert(batch.keys[index])
                    let state = try transaction.value(in: stored, forKey: batch.keys[index]) { try? ParticipantState(decoding: $0) }
                    guard state != .some(.some(rebuilt)) else { continue }
                    let storedBalance = state??.balance
                    differences.append(.init(participant: batch.participant(index), storedBalance: storedBalance, rebuiltBalance: rebuilt.balance,
                                             stateOnly: storedBalance == rebuilt.balance))
                }
            }
            try forEachStoredState(in: transaction, of: stored, notIn: known) { participant, value in
                let storedBalance = (try? ParticipantState(decoding: value))?.balance
                differences.append(.init(participant: participant, storedBalance: storedBalance, rebuiltBalance: nil, stateOnly: false))
            }
            differences.sort { $0.participant.utf8.lexicographicallyPrecedes($1.participant.utf8) }
            return ProjectionCheck(events: events, differences: differences)
        }
    }

    /// What a rebuild did: the events replayed, the participants, and their balances when asked.
    struct RebuildOutcome {
        let events: Int
        let participants: Int
        let balances: [String: Int64]
        /// The repriced events, when the rebuild compared the rules with earlier ones.
        let repriced: Repricing
    }

    /// Makes the stored projection equal to the recomputed one: every state that differs (or is
    /// missing) is written as its batch arrives, in key order, and then states of participants
    /// the log does not know are removed. States already equal are left as they are: the
    /// outcome is the same as dropping and rewriting everything, without rewriting (and
    /// syncing) megabytes that did not change. `balances` are collected when asked (a rules
    /// adoption reports them).
    func rebuild(in transaction: WriteTransaction, rules: PointsRules, collectingBalances: Bool = false, comparing: PointsRules? = nil) throws -> RebuildOutcome {
        let head = try log.head(in: transaction).seq
        let target = try statesRepairing(in: transaction)
        var known = ParticipantSet()
        var balances: [String: Int64] = [:]
        var repriced = Repricing()
        let events = try replayParticipants(in: transaction, rules: rules, through: head, encoding: true, comparing: comparing) { batch in
            try repriced.add(batch, log: log, in: transaction)
            for (index, encoded) in batch.encoded.enumerated() {
                let key = batch.keys[index]
                known.insert(key)
                if collectingBalances { balances[batch.participant(index)] = batch.states[index].balance }
                let unchanged = try transaction.value(in: target, forKey: key) { $0.elementsEqual(encoded) } ?? false
                if !unchanged { _ = try transaction.put(encoded, forKey: key, in: target) }
            }
        }
        var strays: [[UInt8]] = []
        try forEachStoredState(in: transaction, of: target, notIn: known) { participant, _ in strays.append(Array(participant.utf8)) }
        for key in strays { try transaction.removeValue(forKey: key, in: target) }
        return RebuildOutcome(events: events, participants: known.count, balances: balances, repriced: repriced)
    }

    /// Lends each state in `states` whose participant is not in `known` to `body`, in key order.
    private func forEachStoredState(
        in transaction: Transaction, of states: Database, notIn known: ParticipantSet, _ body: (String, Span<UInt8>) throws -> Void
    ) throws {
        try transaction.withCursor(states) { cursor in
            guard try cursor.move(.first) else { return }
            repeat {
                try cursor.withCurrent { key, value in
                    let bytes = key.copiedBytes()
                    if !known.contains(bytes) { try body(String(decoding: bytes, as: UTF8.self), value) }
                }
            } while try cursor.move(.next)
        }
    }

    /// The cores a rebuild spreads its work over.
    static let cores = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
}

/// The repriced events of a replay that compared two documents, batch after batch: the
/// first `Ledger.repricedEventsLimit` in participant then seq order, decoded for the list,
/// and how many there are.
struct Repricing {
    private(set) var events: [RepricedEvent] = []
    private(set) var total = 0

    mutating func add(_ batch: ReplayedBatch, log: EventLog, in transaction: Transaction) throws {
        total += batch.repricedTotal
        for entry in batch.repriced.prefix(max(0, Ledger.repricedEventsLimit - events.count)) {
            guard let event = try log.event(at: entry.seq, in: transaction) else {
                throw LogError.damaged(seq: entry.seq, reason: "missing event")
            }
            events.append(RepricedEvent(event: event, before: entry.before, after: entry.after))
        }
    }
}

/// The participants a replay met: a set of their ids' bytes (memory grows with the
/// participants, a few dozen bytes each).
struct ParticipantSet {
    private var members: Set<[UInt8]> = []
    var count: Int { members.count }
    mutating func insert(_ key: [UInt8]) { members.insert(key) }
    func contains(_ key: [UInt8]) -> Bool { members.contains(key) }
}

extension Ledger {
    /// The first stored record the catalogue does not describe (an unknown type or choice, a
    /// field missing or extra, a system type outside the system stream or the reverse), with
    /// why; nil when every record is the catalogue's. Reads every record in place, on every core.
    public func catalogueProblem() throws -> (seq: UInt64, reason: String)? {
        let city = self.city
        let last = try log.head().seq
        let parts = try log.scanLayouts(through: last, parts: Self.cores * 2, start: { _ in
            (reader: StoredEventReader(city: city), problem: (seq: UInt64, reason: String)?.none)
        }) { part, value, layout in
            guard part.problem == nil else { return }
            do {
                _ = try part.reader.effect(of: layout, in: value, inSystemStream: Ledger.isSystemStream(value, layout.streamRange))
            } catch let mismatch as CatalogueMismatch {
                part.problem = (layout.seq, mismatch.reason)
            } catch let damage as RecordDamage {
                part.problem = (layout.seq, damage.reason)
            }
        }
        return parts.lazy.compactMap(\.problem).first
    }
}
