import EventLog
import Foundation
import LMDB

/// Rebuilding: every projection recomputed from the log in one pass.
extension Ledger {
    /// Drops every projection and recomputes it from the log with the adopted rules.
    public func rebuild() throws -> RebuildReport {
        let started = Date()
        let (outcome, _) = try writing { writer in
            try rebuild(in: writer.transaction, rules: try adoptedRules(in: writer.transaction))
        }
        return RebuildReport(events: outcome.events, participants: outcome.count, seconds: Date().timeIntervalSince(started))
    }

    /// Recomputes the projections aside and compares them with the stored ones, changing nothing.
    public func checkProjections() throws -> ProjectionCheck {
        try reading { transaction in
            let recomputed = try recomputedStates(in: transaction, rules: try adoptedRules(in: transaction))
            let rebuilt = recomputed.byParticipant
            var stored: [String: ParticipantState] = [:]
            var undecodable: Set<String> = []
            try transaction.withCursor(participants) { cursor in
                guard try cursor.move(.first) else { return }
                repeat {
                    let (key, state) = cursor.withCurrent { key, value in (key.copiedBytes(), try? ParticipantState(decoding: value)) }
                    let participant = String(decoding: key, as: UTF8.self)
                    if let state { stored[participant] = state } else { undecodable.insert(participant) }
                } while try cursor.move(.next)
            }
            var differences: [ProjectionCheck.Difference] = []
            for participant in Set(stored.keys).union(rebuilt.keys).union(undecodable)
            where undecodable.contains(participant) || stored[participant] != rebuilt[participant] {
                let storedBalance = stored[participant]?.balance
                let rebuiltBalance = rebuilt[participant]?.balance
                differences.append(.init(participant: participant, storedBalance: storedBalance, rebuiltBalance: rebuiltBalance,
                                         stateOnly: storedBalance == rebuiltBalance))
            }
            differences.sort { $0.participant.utf8.lexicographicallyPrecedes($1.participant.utf8) }
            return ProjectionCheck(events: recomputed.events, differences: differences)
        }
    }

    /// Makes the stored projection equal to the recomputed one: every state that differs (or is
    /// missing) is written, in key order, and states of participants the log does not know are
    /// removed. States already equal are left as they are: the outcome is the same as dropping
    /// and rewriting everything, without rewriting (and syncing) megabytes that did not change.
    func rebuild(in transaction: WriteTransaction, rules: PointsRules) throws -> RecomputedStates {
        let recomputed = try recomputedStates(in: transaction, rules: rules, encoding: true)
        let encoded = recomputed.encoded ?? []
        let order = recomputed.keys.indicesInKeyOrder()
        // Walk the stored states alongside the recomputed ones, both in key order, noting
        // which recomputed states are already stored byte for byte, and which stored ones
        // belong to no participant of the log.
        var unchanged = [Bool](repeating: false, count: recomputed.count)
        var strays: [[UInt8]] = []
        try transaction.withCursor(participants) { cursor in
            var position = 0
            guard try cursor.move(.first) else { return }
            repeat {
                cursor.withCurrent { key, value in
                    while position < order.count, recomputed.keys.precedes(order[position], key) { position += 1 }
                    guard position < order.count, recomputed.keys.equals(order[position], key) else {
                        strays.append(key.copiedBytes())
                        return
                    }
                    unchanged[order[position]] = value.elementsEqual(encoded[order[position]])
                    position += 1
                }
            } while try cursor.move(.next)
        }
        for key in strays { try transaction.removeValue(forKey: key, in: participants) }
        for index in order where !unchanged[index] {
            try transaction.put(encoded[index], forKey: Array(recomputed.keys.key(index)), in: participants)
        }
        return recomputed
    }

    /// Every participant's state recomputed from the log through `through` (with their stored
    /// form when `encoding`), on every core. The log is split into consecutive seq ranges,
    /// each scanned in its own snapshot on its own thread, reading only the layout and the
    /// few data fields of each stored event and keeping its packed effect, grouped by
    /// participant. Then each participant's events, range after range, are applied to a fresh
    /// state, the participants split between the cores: a state stays in cache while its
    /// events are applied, instead of a cache miss per event. A void comes after its target,
    /// so a participant with a void is replayed afterwards from their own stream, the way
    /// appending a void replays them (`ParticipantReplay`): voids are rare.
    func recomputedStates(
        in transaction: Transaction, rules: PointsRules, through: UInt64 = .max, encoding: Bool = false
    ) throws -> RecomputedStates {
        let last = min(try log.head(in: transaction).seq, through)
        let city = self.city
        let cores = Self.cores
        let parts = try log.scanLayouts(through: last, parts: cores * 2, start: { range in ScannedPart(capacity: range.count, city: city) }) { part, value, layout in
            try part.add(value, layout)
        }.parallelMap { part in
            var part = part
            part.group()
            return part
        }
        let (keys, localNumbers, withVoids) = Self.numberParticipants(of: parts)
        let eventCounts = (0 ..< keys.count).map { participant in
            parts.indices.reduce(0) { total, index in
                let numbers = localNumbers[index]
                guard participant < numbers.count, numbers[participant] >= 0 else { return total }
                let local = Int(numbers[participant])
                return total + parts[index].starts[local + 1] - parts[index].starts[local]
            }
        }
        let batches = Self.partition(eventCounts, into: cores).parallelMap { range in
            Self.apply(parts, localNumbers: localNumbers, to: range, pricing: rules.pricing, city: city, encoding: encoding)
        }
        var states = batches[0].states
        var encoded = batches[0].encoded
        for batch in batches.dropFirst() {
            states.append(contentsOf: batch.states)
            encoded.append(contentsOf: batch.encoded)
        }
        for participant in withVoids {
            let events = try log.events(of: String(decoding: keys.key(participant), as: UTF8.self), in: transaction, through: last)
            states[participant] = try ParticipantReplay(events: events, rules: rules, catalogue: catalogue).state
            if encoding { encoded[participant] = states[participant].encoded }
        }
        return RecomputedStates(keys: keys, states: states, encoded: encoding ? encoded : nil,
                                events: parts.reduce(0) { $0 + $1.scannedCount })
    }

    /// Numbers the participants of every part in one table (in the order the parts met them):
    /// `localNumbers[part][participant]` is the participant's number in that part, or −1.
    private static func numberParticipants(of parts: [ScannedPart]) -> (keys: ParticipantKeys, localNumbers: [[Int32]], withVoids: Set<Int>) {
        var keys = ParticipantKeys()
        var localNumbers: [[Int32]] = []
        var withVoids: Set<Int> = []
        for part in parts {
            var numbers: [Int32] = []
            for local in 0 ..< part.keys.count {
                let global = keys.numberAdding(part.keys.key(local))
                while numbers.count <= global { numbers.append(-1) }
                numbers[global] = Int32(local)
            }
            localNumbers.append(numbers)
            for local in part.withVoids { withVoids.insert(keys.numberAdding(part.keys.key(local))) }
        }
        return (keys, localNumbers, withVoids)
    }

    /// Applies each participant's events of every part, in part order, to a fresh state (and
    /// encodes it when `encoding`), for the participants of `range` (global numbers;
    /// `localNumbers[part][participant]` is the participant's number in that part, or −1).
    private static func apply(
        _ parts: [ScannedPart], localNumbers: [[Int32]], to range: Range<Int>, pricing sharedPricing: RulesPricing, city: City,
        encoding: Bool
    ) -> (states: [ParticipantState], encoded: [[UInt8]]) {
        // Each worker reads the parts through its own references, taken once, and prices with
        // its own copies: no reference count is shared with the other workers.
        let pricing = sharedPricing.copiedForThread()
        let towns = city.towns.map { String(decoding: Array($0.id.utf8), as: UTF8.self) }
        let partEvents = parts.map(\.events)
        let partStarts = parts.map(\.starts)
        var states: [ParticipantState] = []
        var encoded: [[UInt8]] = []
        states.reserveCapacity(range.count)
        for participant in range {
            var state = ParticipantState()
            var eventCount = 0
            for part in partEvents.indices where participant < localNumbers[part].count && localNumbers[part][participant] >= 0 {
                let local = Int(localNumbers[part][participant])
                eventCount += partStarts[part][local + 1] - partStarts[part][local]
            }
            state.history.reserveCapacity(events: eventCount)
            for part in partEvents.indices where participant < localNumbers[part].count && localNumbers[part][participant] >= 0 {
                let local = Int(localNumbers[part][participant])
                for position in partStarts[part][local] ..< partStarts[part][local + 1] {
                    let event = partEvents[part][position]
                    state.apply(event.effect, seq: event.seq, at: event.at, pricing: pricing, towns: towns)
                }
            }
            if encoding { encoded.append(state.encoded) }
            states.append(state)
        }
        return (states, encoded)
    }

    /// The cores a rebuild spreads its work over.
    static let cores = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))

    /// Consecutive ranges of participants with about the same number of events each.
    private static func partition(_ eventCounts: [Int], into count: Int) -> [Range<Int>] {
        let total = eventCounts.reduce(0, +)
        var parts: [Range<Int>] = []
        var lower = 0
        var upper = 0
        var sum = 0
        for part in 1 ... count {
            let target = total * part / count
            while upper < eventCounts.count, sum + eventCounts[upper] <= target || part == count {
                sum += eventCounts[upper]
                upper += 1
            }
            parts.append(lower ..< upper)
            lower = upper
        }
        return parts
    }
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
