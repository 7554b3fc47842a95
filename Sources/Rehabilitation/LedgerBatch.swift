import EventLog

/// Submits events to the ledger inside one write transaction: each is screened for personal
/// identifiers, checked against the catalogue and the participant's state as it stands after
/// the events before it, appended, and applied to the participant projection. States are
/// cached for the batch and written once, before the commit.
public final class LedgerBatch {
    let ledger: Ledger
    /// The log's writer: only the ledger's own code may reach it (the sealed write path).
    let writer: BatchWriter
    let rules: PointsRules
    /// The clock's one reading for the batch.
    let now: Int64
    /// The city's town ids, in order (effects hold a town's place).
    let towns: [String]
    private var states: [String: ParticipantState] = [:]
    private var changed: Set<String> = []
    /// States decoded by earlier batches of the same writer, still those of the store (a
    /// server's writer thread keeps them across group commits; `StateCarry`).
    private let carried: StateCarry?

    init(ledger: Ledger, writer: BatchWriter, rules: PointsRules, carried: StateCarry? = nil) {
        self.ledger = ledger
        self.writer = writer
        self.rules = rules
        self.now = writer.now
        self.towns = ledger.city.towns.map(\.id)
        self.carried = carried
    }

    /// The states this batch changed, as they will be committed.
    var changedStates: [(String, ParticipantState)] { changed.compactMap { participant in states[participant].map { (participant, $0) } } }

    /// What has been appended or recognised so far.
    public var summary: BatchSummary { writer.summary }

    /// Records a refusal found before submission (a line that is not an event at all).
    public func reject(_ error: InputError) { writer.reject(error) }

    /// Submits one event; returns nil (and records why) when it is refused.
    @discardableResult
    public func submit(_ event: NewEvent, line: Int? = nil, expectedVersion: Int? = nil) throws -> AppendOutcome? {
        try submit(ledger.prepare(event), line: line, expectedVersion: expectedVersion)
    }

    /// Submits an event prepared by `Ledger.prepare` (or the reason it could not be); returns
    /// nil (and records why) when it is refused.
    @discardableResult
    public func submit(_ prepared: Result<PreparedEvent, InputError>, line: Int? = nil, expectedVersion: Int? = nil) throws -> AppendOutcome? {
        let event: NewEvent
        let effect: EventEffect
        switch prepared {
        case .success(let prepared): (event, effect) = (prepared.event, prepared.effect)
        case .failure(let error):
            writer.reject(error.at(line: line))
            return nil
        }
        let outcome = try writer.append(event, line: line, expectedVersion: expectedVersion) { event in
            let refusal = try self.withState(of: event.participant) { $0.refusal(of: effect, at: event.at, now: self.now) }
            if let refusal { return refusal }
            if effect.type == .voided {
                return try self.refusalToVoid(EventType.voidTarget(in: event.data) ?? "", participant: event.participant)
            }
            return nil
        }
        guard case .appended(let seq)? = outcome else { return outcome }
        let participant = event.participant
        if effect.type == .voided {
            // A void can change the cap count of later check-ins: replay the participant.
            let events = try ledger.log.events(of: participant, in: writer.transaction)
            states[participant] = try ParticipantReplay(events: events, rules: rules, catalogue: ledger.catalogue).state
        } else {
            _ = try withState(of: participant) { $0.apply(effect, seq: seq, at: event.at, pricing: rules.pricing, towns: towns) }
        }
        changed.insert(participant)
        return outcome
    }

    /// Lends the participant's cached state in place: copying a state would copy its
    /// history arrays on the next append, once per event.
    private func withState<T>(of participant: String, _ body: (inout ParticipantState) -> T) throws -> T {
        if states.index(forKey: participant) == nil {
            if states.count >= Self.cachedStatesLimit {
                // A bounded cache: an import over more participants than this writes the
                // changed states into the transaction and starts again, so its memory does
                // not grow with the number of participants times their histories.
                try flush()
                states.removeAll(keepingCapacity: true)
                changed.removeAll(keepingCapacity: true)
            }
            states[participant] = try carried?.states[participant] ?? ledger.storedState(of: participant, in: writer.transaction) ?? ParticipantState()
        }
        return body(&states[participant, default: ParticipantState()])
    }

    /// Why a caller whose reach is `towns` may not submit `prepared` as things stand in the
    /// batch: an enrolment in another town, or an event of a participant whose current town
    /// is another. Nil when allowed (a participant with no town yet is left to the catalogue's
    /// rules, which refuse every event but an enrolment of someone not registered).
    func scopeRefusal(_ prepared: PreparedEvent, towns allowed: Set<String>) throws -> String? {
        if prepared.effect.type == .enrolled {
            let town = towns[Int(prepared.effect.town)]
            return allowed.contains(town) ? nil : "an enrolment in \(town), which is not one of your towns"
        }
        let participant = prepared.event.participant
        guard let town = try withState(of: participant, { $0.currentTown }) else { return nil }
        return allowed.contains(town) ? nil : "\(participant) belongs to \(town), which is not one of your towns"
    }

    private func refusalToVoid(_ target: String, participant: String) throws -> InputError? {
        func refuse(_ code: RefusalCode, _ reason: String) -> InputError { InputError(field: "data.\(EventType.voidTargetField)", code: code, reason: reason) }
        guard let seq = try writer.seqHolding(id: target),
              let voided = try ledger.log.event(at: seq, in: writer.transaction) else {
            return refuse(.voidUnknownTarget, "no event has the id \"\(DisplayText.escaped(target))\"")
        }
        guard voided.participant == participant else {
            return refuse(.voidOtherParticipant, "\"\(DisplayText.escaped(target))\" belongs to another participant")
        }
        guard EventType(name: voided.type)?.definition.isVoidable == true else {
            return refuse(.voidNotVoidable,
                          "\(voided.type) events cannot be voided (voidable: \(EventType.voidableTypes.map(\.name).sorted().joined(separator: ", ")))")
        }
        let history = try ledger.log.events(of: participant, in: writer.transaction)
        var voidedIds: Set<String> = []
        for event in history where event.type == EventType.voided.name {
            guard let voidedId = EventType.voidTarget(in: event.data) else { continue }
            if voidedId == target {
                return refuse(.voidAlreadyVoided, "\"\(DisplayText.escaped(target))\" is already voided by \"\(event.id)\"")
            }
            voidedIds.insert(voidedId)
        }
        // An enrolment is what every later event of the participant stands on: it may be
        // voided (a wrong measure or town) only when none of them stands any more.
        if voided.type == EventType.enrolled.name,
           let standing = history.first(where: { $0.seq > seq && $0.type != EventType.voided.name && !voidedIds.contains($0.id) }) {
            return refuse(.voidHasDependents,
                          "the enrolment \"\(DisplayText.escaped(target))\" has later events that stand (first: seq \(standing.seq), \(standing.type)); void them first, or record a transfer for a wrong town")
        }
        return nil
    }

    /// Participant states a batch keeps decoded: a city's register (Enping: 1,500; the
    /// benchmark: 10,000) fits; a province's (100,000) is written out and re-read in turns.
    static let cachedStatesLimit = 16_384

    /// Writes the changed participant states: when the cache is full, and before the commit.
    func flush() throws {
        let target = try ledger.states(in: writer.transaction)
        for participant in changed {
            try writer.transaction.put(states[participant]!.encoded, forKey: Array(participant.utf8), in: target)
        }
    }
}
