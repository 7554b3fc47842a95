import EventLog

/// Replays one participant's events, in log order, under one rules document: the single
/// definition of how state and points follow from events. The projection, `audit`, voids
/// and `rebuild` all go through it, so they cannot disagree.
public struct ParticipantReplay {
    /// One event of the replay, as `audit` shows it.
    public struct Row: Equatable, Sendable {
        public let event: StoredEvent
        /// The name of the rules version that priced the event, for priced types not voided.
        public let ruleVersion: String?
        public let delta: Int64
        /// The balance after this event.
        public let balance: Int64
        /// The id of the `voided` event that cancels this one.
        public let voidedBy: String?
    }

    /// The state after every event.
    public private(set) var state = ParticipantState()
    /// One row per event.
    public private(set) var rows: [Row] = []

    /// Replays `events` (one participant's, in seq order) under `rules`. A stored event the
    /// catalogue does not accept is damage (`LedgerError.unknownEvent`), never "no effect".
    public init(events: [StoredEvent], rules: PointsRules, catalogue: EventCatalogue) throws {
        var voidedBy: [String: String] = [:]
        for event in events where event.type == EventType.voided.name {
            if let target = EventType.voidTarget(in: event.data) { voidedBy[target] = event.id }
        }
        let towns = catalogue.city.towns.map(\.id)
        for event in events {
            let effect: EventEffect
            switch catalogue.effect(type: event.type, data: event.data) {
            case .success(let checked): effect = checked
            case .failure(let refusal): throw LedgerError.unknownEvent(seq: event.seq, reason: refusal.description)
            }
            let voider = voidedBy[event.id]
            var delta: Int64 = 0
            var version: Int?
            if voider == nil {
                (delta, version, _) = state.apply(effect, seq: event.seq, at: event.at, pricing: rules.pricing, towns: towns)
            }
            rows.append(Row(event: event, ruleVersion: version.map { rules.versions[$0].name }, delta: delta, balance: state.balance, voidedBy: voider))
        }
    }
}
