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

    /// Replays `events` (one participant's, in seq order) under `rules`.
    public init(events: [StoredEvent], rules: PointsRules, catalogue: EventCatalogue) {
        var voidedBy: [String: String] = [:]
        for event in events where event.type == "voided" {
            if let target = event.data.objectMembers?["event"]?.stringValue { voidedBy[target] = event.id }
        }
        for event in events {
            let voider = voidedBy[event.id]
            var delta: Int64 = 0
            var version: Int?
            if voider == nil, case .success(let kind) = catalogue.kind(type: event.type, data: event.data) {
                (delta, version) = state.apply(kind.effect, seq: event.seq, at: event.at, pricing: rules.pricing)
            }
            rows.append(Row(event: event, ruleVersion: version.map { rules.versions[$0].name }, delta: delta, balance: state.balance, voidedBy: voider))
        }
    }
}
