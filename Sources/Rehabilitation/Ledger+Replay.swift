import EventLog
import LMDB

/// Participants replayed from the log, a batch at a time, in the stream index's key order:
/// what `rebuild`, `rebuild --check`, `rules diff`/`adopt` and the statistics of a cut take
/// from the log. Memory is bounded by the batches of one round, whatever the log's length.
struct ReplayedBatch: Sendable {
    /// The participants' ids (UTF-8 bytes), in key order.
    var keys: [[UInt8]] = []
    /// Their states after every event through the replay's seq.
    var states: [ParticipantState] = []
    /// The states' stored forms, when the replay encodes (a rebuild does it on every core).
    var encoded: [[UInt8]] = []
    /// The events replayed.
    var events = 0
    /// With a replay `comparing` two documents: the first `Ledger.repricedEventsLimit` events
    /// whose delta differs, in participant then seq order (`participant` is an index into
    /// `keys`) — no later one can be among the first overall — and how many there are.
    var repriced: [(participant: Int, seq: UInt64, before: Int64, after: Int64)] = []
    var repricedTotal = 0

    /// The participant id of entry `index`.
    func participant(_ index: Int) -> String { String(decoding: keys[index], as: UTF8.self) }
}

extension Ledger {
    /// The most events one batch of a replay reads (a participant with more makes a batch of
    /// their own): a round of one batch a core holds some tens of MiB of states.
    static let eventsPerReplayBatch = 1 << 19
    /// The events a batch of `rules diff` and `rules adopt` reads: those replays have no time
    /// target, and at 1,000,000 events the participants' cap (below) already makes batches of
    /// about 330,000 events, so with half the events the batches hold as much at 1,000,000
    /// events as at 10,000,000, and so does their memory (1.17× between the two with 2¹⁹).
    static let eventsPerComparingBatch = eventsPerReplayBatch / 2
    /// The most participants in one batch (their empty states are a few hundred bytes each).
    static let participantsPerReplayBatch = 1 << 15

    /// Replays every participant with an event at or before `through` from their own stream,
    /// on every core, and hands the batches to `consume` on the calling thread, in key order.
    /// Each batch is replayed in a read snapshot of its own; the events through `through` are
    /// the same in every snapshot (the log only grows), and a caller holding a write
    /// transaction sees the same as long as it has not written events. Returns the events
    /// replayed, the system streams' included, after checking that the stream index holds
    /// every seq through `through` exactly once: an event the index misses is damage.
    func replayParticipants(
        in transaction: Transaction, rules: PointsRules, through: UInt64, encoding: Bool = false, comparing: PointsRules? = nil,
        batchEvents: Int = eventsPerReplayBatch, batchParticipants: Int = participantsPerReplayBatch,
        _ consume: (ReplayedBatch) throws -> Void
    ) throws -> Int {
        let streams = try log.indexedStreams(in: transaction)
        var events = 0
        var batches: [Range<Int>] = []
        var start = 0
        var eventCount = 0
        for (index, stream) in streams.enumerated() {
            if stream.key.first == Self.systemStreamMark {
                // Not a participant: each event checked and counted, not replayed. A batch never spans one.
                var seqs: [EventLog.IndexedSeq] = []
                events += try log.appendIndexedSeqs(of: stream.key, through: through, tag: 0, to: &seqs, in: transaction)
                var key = EventLog.seqKeyBuffer()
                for entry in seqs { try log.withIndexedEvent(at: entry.seq, of: stream.key, in: transaction, key: &key) { _, _ in } }
                if start < index { batches.append(start ..< index) }
                start = index + 1
                eventCount = 0
                continue
            }
            if start < index, eventCount + stream.entries > batchEvents || index - start == batchParticipants {
                batches.append(start ..< index)
                start = index
                eventCount = 0
            }
            eventCount += stream.entries
        }
        if start < streams.count { batches.append(start ..< streams.count) }
        let round = Self.cores
        for first in stride(from: 0, to: batches.count, by: round) {
            let results = Array(batches[first ..< min(first + round, batches.count)]).parallelMap { range in
                Result { try self.replay(streams[range], rules: rules, through: through, encoding: encoding, comparing: comparing) }
            }
            for result in results {
                let batch = try result.get()
                events += batch.events
                try consume(batch)
            }
        }
        guard UInt64(events) == through else {
            throw LogError.damaged(seq: 0, reason: "the stream index holds \(events) events through seq \(through), not \(through)")
        }
        return events
    }

    /// One batch of participants replayed in a read snapshot of this thread's own. The seqs of
    /// the batch's streams are read from the index and sorted, and the events are then read in
    /// seq order, each applied to its participant's state: successive reads are near each
    /// other in the log's file (the batch holds a good share of all events), not a page apart
    /// per event. A participant with a `voided` event is replayed again from their decoded
    /// events, the way appending a void replays them (`ParticipantReplay`): voids are rare.
    /// `comparing` replays every participant under that document too, for the repriced events.
    private func replay(
        _ streams: ArraySlice<EventLog.IndexedStream>, rules: PointsRules, through: UInt64, encoding: Bool, comparing: PointsRules?
    ) throws -> ReplayedBatch {
        let streams = Array(streams)
        // Each worker prices and reads with its own copies: no reference count is shared.
        let pricing = rules.pricing.copiedForThread()
        let earlierPricing = comparing?.pricing.copiedForThread()
        var repriced: [(place: Int, seq: UInt64, before: Int64, after: Int64)] = []
        let reader = StoredEventReader(city: city)
        let towns = city.towns.map { String(decoding: Array($0.id.utf8), as: UTF8.self) }
        var states = [ParticipantState](repeating: ParticipantState(), count: streams.count)
        var counts = [Int](repeating: 0, count: streams.count)
        var voids = [Bool](repeating: false, count: streams.count)
        try log.read { transaction in
            var order: [EventLog.IndexedSeq] = []
            order.reserveCapacity(streams.reduce(0) { $0 + $1.entries })
            for (place, stream) in streams.enumerated() {
                // At most `participantsPerReplayBatch` a batch, so the place fits.
                counts[place] = try log.appendIndexedSeqs(of: stream.key, through: through, tag: Int32(place), to: &order, in: transaction)
                states[place].history.reserveCapacity(events: counts[place])
            }
            order.sort { $0.seq < $1.seq }
            var key = EventLog.seqKeyBuffer()
            for entry in order {
                let place = Int(entry.tag)
                guard !voids[place] else { continue }
                let (effect, at) = try log.withIndexedEvent(at: entry.seq, of: streams[place].key, in: transaction, key: &key) { value, layout in
                    do { return (try reader.effect(of: layout, in: value), layout.at) } catch let mismatch as CatalogueMismatch {
                        throw LedgerError.unknownEvent(seq: layout.seq, reason: mismatch.reason)
                    } catch let damage as RecordDamage {
                        throw LogError.damaged(seq: layout.seq, reason: damage.reason)
                    }
                }
                if effect.type == .voided {
                    voids[place] = true
                } else {
                    let applied = states[place].apply(effect, seq: entry.seq, at: at, pricing: pricing, towns: towns, comparing: earlierPricing)
                    if let before = applied.comparedDelta, before != applied.delta { repriced.append((place, entry.seq, before, applied.delta)) }
                }
            }
            for place in streams.indices where voids[place] {
                let participant = String(decoding: streams[place].key, as: UTF8.self)
                let events = try log.events(of: participant, in: transaction, through: through)
                let replay = try ParticipantReplay(events: events, rules: rules, catalogue: catalogue)
                states[place] = replay.state
                if let comparing {
                    repriced.removeAll { $0.place == place }
                    let before = try ParticipantReplay(events: events, rules: comparing, catalogue: catalogue)
                    for (old, new) in zip(before.rows, replay.rows) where old.delta != new.delta {
                        repriced.append((place, old.event.seq, old.delta, new.delta))
                    }
                }
            }
        }
        var batch = ReplayedBatch()
        var indexInBatch = [Int](repeating: -1, count: streams.count)
        for place in streams.indices where counts[place] > 0 {
            indexInBatch[place] = batch.keys.count
            batch.events += counts[place]
            batch.keys.append(streams[place].key)
            if encoding { batch.encoded.append(states[place].encoded) }
            batch.states.append(states[place])
        }
        repriced.sort { ($0.place, $0.seq) < ($1.place, $1.seq) }
        // The batches of a round wait to be consumed: each keeps only what the list can use
        // (two thirds of 524,288 events were 11 MiB of entries a batch, and their copy as much).
        batch.repricedTotal = repriced.count
        batch.repriced = repriced.prefix(Ledger.repricedEventsLimit).map { (indexInBatch[$0.place], $0.seq, $0.before, $0.after) }
        return batch
    }
}
