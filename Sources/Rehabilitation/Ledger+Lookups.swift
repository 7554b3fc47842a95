import EventLog

extension Ledger {
    /// The local years from the earliest enrolment to the latest register change or contact
    /// of any participant (nil for a ledger without participants): the years a figures page
    /// offers, and its trend's span.
    public func eventYears() throws -> ClosedRange<Int>? {
        try log.read { transaction in
            var span = ActivitySpan()
            for part in try foldStoredStates(in: transaction, scope: .alerts, into: ActivitySpan(), { span, _, state in span.add(state.history) }) {
                span.add(part)
            }
            return span.years
        }
    }

    /// The local date of `participant`'s last contact (check-in or test) on or before `day`.
    public func lastContact(of participant: String, onOrBefore day: CivilDate) throws -> CivilDate? {
        guard let state = try state(of: participant) else { return nil }
        let end = CityZone.endOfDay(day)
        // Contacts are kept in append order, which a backdated event breaks: take the latest.
        return state.history.contacts.lazy.filter { $0 <= end }.max().map(CityZone.localDate(ofUTC:))
    }
}

/// Where a participant belonged over time: the town of each enrolment and of each transfer,
/// from its seq on. What `log --town` filters by.
public struct TownHistory: Sendable {
    /// (seq, town) in seq order.
    public let changes: [(seq: UInt64, town: String)]

    /// The town the participant belonged to when the event at `seq` was appended; nil
    /// before their first enrolment.
    public func town(atSeq seq: UInt64) -> String? {
        changes.last { $0.seq <= seq }?.town
    }
}

extension Ledger {
    /// Every participant's town history, from the projection (one value per participant).
    public func townHistories() throws -> [String: TownHistory] {
        try log.read { transaction in
            var all: [String: TownHistory] = [:]
            for part in try foldStoredStates(in: transaction, scope: .alerts, into: [String: TownHistory](), { part, participant, state in
                part[participant] = Self.townHistory(state.history)
            }) {
                all.merge(part) { first, _ in first }
            }
            return all
        }
    }

    /// One participant's town history; nil for one the ledger does not hold.
    public func townHistory(of participant: String) throws -> TownHistory? {
        try state(of: participant).map { Self.townHistory($0.history) }
    }

    static func townHistory(_ history: ParticipantHistory) -> TownHistory {
        TownHistory(changes: history.register.compactMap { change in change.town.map { (change.seq, $0) } }.sorted { $0.seq < $1.seq })
    }
}

extension Ledger {
    /// The stored event with this id, if any.
    public func event(id: String) throws -> StoredEvent? {
        try log.read { transaction in
            guard let seq = try log.seq(ofId: id, in: transaction) else { return nil }
            return try log.event(at: seq, in: transaction)
        }
    }
}
