import EventLog
import LMDB

extension Ledger {
    /// The work report of `period` (docs/statistics.md, `recovery activity`): per town and per
    /// actor, the non-voided participant events dated in the period, by type; the distinct
    /// participants contacted; the voids recorded; and per town, who is under a measure on the
    /// period's last day and how many of them have a `contact` alert then.
    ///
    /// The projection does not keep who recorded what, so the log is scanned once on every
    /// core, reading only each record's layout (its `at`, type and stream) and decoding the
    /// events dated in the period and every void (their targets are excluded wherever they
    /// are dated). Each event's town then comes from its participant's projected history,
    /// read in the same pass over the states as the last day's measures and alerts.
    public func activity(_ period: ActivityPeriod, town: String? = nil) throws -> ActivityReport {
        do {
            return try log.read { transaction in
                let head = try log.head(in: transaction).seq
                try requireCurrentProjection(head: head, in: transaction)
                let rules = try adoptedRules(in: transaction)
                let start = CityZone.startOfDay(period.from)
                let end = CityZone.endOfDay(period.to)
                let scanned = try scanActivity(through: head, from: start, to: end)
                var voidedSeqs = Set<UInt64>()
                for id in scanned.flatMap(\.voidTargets) {
                    // A target the log lacks cannot be: a void is accepted only for an existing event.
                    if let seq = try log.seq(ofId: id, in: transaction) { voidedSeqs.insert(seq) }
                }
                var byParticipant: [String: [ActivityEvent]] = [:]
                for part in scanned {
                    for event in part.events where event.type == .voided || !voidedSeqs.contains(event.seq) {
                        byParticipant[event.participant, default: []].append(event)
                    }
                }
                let periodEvents = byParticipant
                let lastDay = period.to
                let parts = try foldStoredStates(in: transaction, scope: .alerts, into: ActivityTally()) { tally, participant, state in
                    tally.addMeasure(participant: participant, history: state.history, on: lastDay, rules: rules)
                    if let events = periodEvents[participant] { tally.add(events, participant: participant, history: state.history) }
                }
                var tally = ActivityTally()
                for part in parts { tally.add(part) }
                let towns = self.city.towns.filter { town == nil || $0.id == town }.map { place in
                    let actors = (tally.rows[place.id] ?? [:]).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    var totals = ActivityCounts()
                    for (_, counts) in actors { totals.addEvents(counts) }
                    totals.contacted = tally.townContacted[place.id] ?? 0
                    return ActivityTown(town: place, underMeasure: tally.underMeasure[place.id] ?? 0,
                                        contactAlerts: tally.contactAlerts[place.id] ?? 0, totals: totals,
                                        actors: actors.map { (actor: $0.key, counts: $0.value) })
                }
                var city = ActivityCounts()
                for actors in tally.rows.values { for counts in actors.values { city.addEvents(counts) } }
                city.addEvents(tally.unplaced)
                city.contacted = tally.cityContacted
                return ActivityReport(period: period, headSeq: head, underMeasure: tally.underMeasure.values.reduce(0, +),
                                      contactAlerts: tally.contactAlerts.values.reduce(0, +), city: city, towns: towns)
            }
        } catch let error as RecordDamage {
            throw LedgerError.damagedProjection(reason: error.reason)
        }
    }

    /// The participant events dated from `start` to `end` and the targets of every void, from
    /// one scan of the log through `head` split over the cores.
    private func scanActivity(through head: UInt64, from start: Int64, to end: Int64) throws -> [ActivityScan] {
        let city = self.city
        return try log.scanLayouts(through: head, parts: Self.cores * 2, start: { _ in ActivityScan(city: city) }) { part, value, layout in
            guard !Ledger.isSystemStream(value, layout.streamRange) else { return }
            let inPeriod = layout.at >= start && layout.at <= end
            guard inPeriod || ActivityScan.isVoid(value, layout) else { return }
            do {
                try part.add(value, layout, inPeriod: inPeriod)
            } catch let mismatch as CatalogueMismatch {
                throw LedgerError.unknownEvent(seq: layout.seq, reason: mismatch.reason)
            } catch let damage as RecordDamage {
                throw LogError.damaged(seq: layout.seq, reason: damage.reason)
            }
        }
    }
}

/// A participant event of the period, as the report needs it.
struct ActivityEvent: Sendable {
    let seq: UInt64
    let at: Int64
    let participant: String
    let actor: String
    let type: EventType
    let result: TestResult?
}

/// One seq range's share of the activity scan.
struct ActivityScan: Sendable {
    private(set) var events: [ActivityEvent] = []
    /// The `id`s every void of the range names.
    private(set) var voidTargets: [String] = []
    private let reader: StoredEventReader

    init(city: City) { reader = StoredEventReader(city: city) }

    private static let voidName = Array(EventType.voided.name.utf8)

    /// Whether the record is a `voided` event, by its stored type name (read in place).
    static func isVoid(_ value: Span<UInt8>, _ layout: EventLayout) -> Bool {
        let range = layout.typeRange
        guard range.count == voidName.count else { return false }
        for (offset, byte) in voidName.enumerated() where value[range.lowerBound + offset] != byte { return false }
        return true
    }

    mutating func add(_ value: Span<UInt8>, _ layout: EventLayout, inPeriod: Bool) throws {
        let effect = try reader.effect(of: layout, in: value)
        if effect.type == .voided {
            let data = try layout.data(in: value)
            guard let target = EventType.voidTarget(in: data) else { throw RecordDamage("a void without its target") }
            voidTargets.append(target)
        }
        guard inPeriod else { return }
        events.append(ActivityEvent(
            seq: layout.seq, at: layout.at, participant: try layout.stream(in: value), actor: try layout.actor(in: value),
            type: effect.type, result: effect.type == .testResult ? effect.choice(TestResult.self) : nil))
    }
}

/// A row of the report: a town and an actor.
struct ActivityRowKey: Hashable, Sendable {
    let town: String
    let actor: String
}

/// What the pass over the participant states gathers; parts add up (each participant is in one).
struct ActivityTally: Sendable {
    /// town → actor → counts (`contacted` per row already distinct: one participant is in one part).
    var rows: [String: [String: ActivityCounts]] = [:]
    var townContacted: [String: Int] = [:]
    var cityContacted = 0
    /// Events of participants with no town at their `at`.
    var unplaced = ActivityCounts()
    var underMeasure: [String: Int] = [:]
    var contactAlerts: [String: Int] = [:]

    /// Counts the participant under a measure on `day` in their town that day, and their
    /// `contact` alert (the alerts' rule; `stats`' `overdue`).
    mutating func addMeasure(participant: String, history: ParticipantHistory, on day: CivilDate, rules: PointsRules) {
        let end = CityZone.endOfDay(day)
        guard let enrolment = AlertRules.currentMeasure(history, through: end), let town = history.town(through: end) else { return }
        underMeasure[town, default: 0] += 1
        if AlertRules.contactAlert(participant: participant, town: town, history: history, enrolment: enrolment,
                                   day: day, end: end, rules: rules) != nil {
            contactAlerts[town, default: 0] += 1
        }
    }

    /// Counts one participant's events of the period (voided ones already left out), each in
    /// the participant's town at its `at` and under its actor.
    mutating func add(_ events: [ActivityEvent], participant: String, history: ParticipantHistory) {
        var contactRows: Set<ActivityRowKey> = []
        var contactTowns: Set<String> = []
        var contacted = false
        for event in events {
            let isContact = event.type == .checkIn || event.type == .testResult
            guard let town = history.town(through: event.at) else {
                unplaced.add(event.type, result: event.result)
                if isContact { contacted = true }
                continue
            }
            rows[town, default: [:]][event.actor, default: ActivityCounts()].add(event.type, result: event.result)
            if isContact {
                contacted = true
                contactTowns.insert(town)
                contactRows.insert(ActivityRowKey(town: town, actor: event.actor))
            }
        }
        for row in contactRows { rows[row.town, default: [:]][row.actor, default: ActivityCounts()].contacted += 1 }
        for town in contactTowns { townContacted[town, default: 0] += 1 }
        if contacted { cityContacted += 1 }
    }

    mutating func add(_ other: ActivityTally) {
        for (town, actors) in other.rows {
            for (actor, counts) in actors { rows[town, default: [:]][actor, default: ActivityCounts()].add(counts) }
        }
        for (town, count) in other.townContacted { townContacted[town, default: 0] += count }
        cityContacted += other.cityContacted
        unplaced.add(other.unplaced)
        for (town, count) in other.underMeasure { underMeasure[town, default: 0] += count }
        for (town, count) in other.contactAlerts { contactAlerts[town, default: 0] += count }
    }
}
