import EventLog
import LMDB

/// What a rebuild keeps of one seq range of the log, scanned on its own thread: the range's
/// participants numbered as met, and each event's packed effect, grouped by participant
/// (log order kept within each participant) once the range is done.
struct ScannedPart: Sendable {
    private(set) var keys = ParticipantKeys()
    /// The effects, in log order until `group()`, then by participant.
    private(set) var events: [ScannedEvent] = []
    /// After `group()`: participant `n`'s events are `events[starts[n] ..< starts[n + 1]]`.
    private(set) var starts: [Int] = []
    /// Participants of this range with a `voided` event (replayed afterwards).
    private(set) var withVoids: Set<Int> = []
    /// Every event scanned, the rules stream's included.
    private(set) var scannedCount = 0
    private let reader: StoredEventReader

    /// An empty part for about `capacity` events of `city`, made on the thread that fills it.
    init(capacity: Int, city: City) {
        events.reserveCapacity(capacity)
        reader = StoredEventReader(city: city)
    }

    /// Adds the stored event `layout` of `value`. A record the catalogue does not describe
    /// stops the scan (`LedgerError.unknownEvent`): it is damage, never "no effect".
    mutating func add(_ value: Span<UInt8>, _ layout: EventLayout) throws {
        scannedCount += 1
        guard !Ledger.isSystemStream(value, layout.streamRange) else { return }
        let participant = keys.countEvent(of: layout.streamRange, in: value).index
        let effect: EventEffect
        do { effect = try reader.effect(of: layout, in: value) } catch let mismatch as CatalogueMismatch {
            throw LedgerError.unknownEvent(seq: layout.seq, reason: mismatch.reason)
        } catch let damage as RecordDamage {
            throw LogError.damaged(seq: layout.seq, reason: damage.reason)
        }
        if effect.type == .voided {
            // Counted above, but nothing to keep: the participant is replayed afterwards.
            keys.uncountEvent(participant)
            withVoids.insert(participant)
        } else {
            events.append(ScannedEvent(seq: layout.seq, at: layout.at, participant: Int32(participant), effect: effect))
        }
    }

    /// Sorts the events by participant, stably (a counting sort: one move per event).
    mutating func group() {
        starts = [Int](repeating: 0, count: keys.count + 1)
        for participant in 0 ..< keys.count { starts[participant + 1] = starts[participant] + keys.eventCount(participant) }
        var next = starts
        var grouped = [ScannedEvent](repeating: .empty, count: events.count)
        for event in events {
            let participant = Int(event.participant)
            grouped[next[participant]] = event
            next[participant] += 1
        }
        events = grouped
    }
}
