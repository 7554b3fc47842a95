import EventLog
import LMDB

/// One adoption of a rules document, as the `_rules` stream holds it.
public struct RulesAdoption: Sendable {
    public let seq: UInt64
    public let recordedAt: Int64
    public let actor: String
    public let reason: String?
    public let rules: PointsRules
}

/// One event whose points a rules change moves.
public struct RepricedEvent: Equatable, Sendable {
    public let event: StoredEvent
    public let before: Int64
    public let after: Int64
}

extension Ledger {
    /// The most adoptions `rulesHistory` returns (the newest): rules change a few times a year.
    public static let rulesHistoryLimit = 1_000

    /// The adoptions of rules documents, oldest first (at most the newest `rulesHistoryLimit`).
    public func rulesHistory() throws -> [RulesAdoption] {
        try reading { transaction in
            let events = try log.events(of: Self.rulesStream, in: transaction)
            return try events.suffix(Self.rulesHistoryLimit).compactMap { event -> RulesAdoption? in
                guard event.type == Self.rulesType, let members = event.data.objectMembers,
                      let document = members["document"]?.stringValue else { return nil }
                do {
                    return RulesAdoption(seq: event.seq, recordedAt: event.recordedAt, actor: event.actor,
                                         reason: members["reason"]?.stringValue, rules: try PointsRules(document: document))
                } catch {
                    throw LogError.damaged(seq: event.seq, reason: "the adopted rules document does not parse: \(error)")
                }
            }
        }
    }

    /// The events of `participant` whose points differ under `rules` from the adopted rules,
    /// replayed from the log (what a rules preview shows beside the balance change).
    public func repricedEvents(of participant: String, under rules: PointsRules) throws -> [RepricedEvent] {
        try reading { transaction in
            try repricedEvents(of: participant, under: rules, current: try adoptedRules(in: transaction), in: transaction)
        }
    }

    func repricedEvents(of participant: String, under rules: PointsRules, current: PointsRules, in transaction: Transaction) throws -> [RepricedEvent] {
        guard !Self.isSystemStream(participant) else { return [] }
        let events = try log.events(of: participant, in: transaction)
        let before = try ParticipantReplay(events: events, rules: current, catalogue: catalogue)
        let after = try ParticipantReplay(events: events, rules: rules, catalogue: catalogue)
        return zip(before.rows, after.rows).compactMap { old, new in
            old.delta == new.delta ? nil : RepricedEvent(event: old.event, before: old.delta, after: new.delta)
        }
    }

    /// The most repriced events a diff lists (it counts them all): a rules change that moves
    /// more is read as the count and the balances, not line by line.
    public static let repricedEventsLimit = 10_000

    /// The versions of `rules` that are new or changed against the adopted rules and take
    /// effect before `today` (the city's date): adopting them re-prices the past.
    public func retroactiveVersions(of rules: PointsRules, today: CivilDate) throws -> [RulesVersion] {
        let current = try adoptedRules()
        return rules.versions.filter { version in
            version.effectiveFrom < today && !current.versions.contains { $0 == version }
        }
    }
}
