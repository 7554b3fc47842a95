import EventLog
import LMDB

extension Ledger {
    /// The work report of `period` (docs/statistics.md, `recovery activity`): per town and per
    /// actor, the non-voided participant events dated in the period, by type; the distinct
    /// participants contacted; the voids recorded; and per town, who is under a measure on the
    /// period's last day and how many of them have a `contact` alert then.
    ///
    /// The projection does not keep who recorded what, so the log is scanned once on every
    /// core, reading each record's layout (its `at`, type and stream) and counting each event
    /// dated in the period at once, in its participant's town at its `at`. The towns come
    /// first, from one pass over the stored states (with the last day's measures and alerts),
    /// as a short list of town changes per participant. A voided event is counted by the scan
    /// and taken back afterwards (voids are rare; a void comes after its target): each row
    /// keeps a count per participant contacted, so a distinct count survives a take-back.
    /// Memory grows with the participants and actors, not with the events.
    public func activity(_ period: ActivityPeriod, town: String? = nil) throws -> ActivityReport {
        do {
            return try log.read { transaction in
                let head = try log.head(in: transaction).seq
                try requireCurrentProjection(head: head, in: transaction)
                let rules = try adoptedRules(in: transaction)
                let start = CityZone.startOfDay(period.from)
                let end = CityZone.endOfDay(period.to)
                let lastDay = period.to
                let townIDs = self.city.towns.map(\.id)
                let parts = try foldStoredStates(in: transaction, scope: .alerts, into: ActivityMeasures()) { measures, participant, state in
                    measures.add(participant: participant, history: state.history, on: lastDay, rules: rules, towns: townIDs)
                }
                var measures = ActivityMeasures()
                for part in parts { measures.add(part) }
                let timelines = measures.timelines
                let scanned = try scanActivity(through: head, from: start, to: end, timelines: timelines)
                var tally = ActivityTally()
                for part in scanned { tally.add(part) }
                var voided = Set<UInt64>()
                for id in scanned.flatMap(\.voidTargets) {
                    // A target the log lacks cannot be: a void is accepted only for an existing event.
                    guard let seq = try log.seq(ofId: id, in: transaction), voided.insert(seq).inserted,
                          let event = try log.event(at: seq, in: transaction), event.at >= start, event.at <= end,
                          !Self.isSystemStream(event.participant) else { continue }
                    let effect: EventEffect
                    switch catalogue.effect(type: event.type, data: event.data) {
                    case .success(let checked): effect = checked
                    case .failure(let refusal): throw LedgerError.unknownEvent(seq: seq, reason: refusal.description)
                    }
                    tally.count(effect, at: event.at, participant: event.participant, actor: event.actor, timelines: timelines, by: -1)
                }
                let contacted = tally.contacted()
                let towns = self.city.towns.enumerated().filter { town == nil || $0.element.id == town }.map { index, place in
                    let actors = (tally.rows[Int16(index)] ?? [:]).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    var totals = ActivityCounts()
                    for (_, counts) in actors { totals.addEvents(counts) }
                    totals.contacted = contacted.towns[Int16(index)] ?? 0
                    return ActivityTown(town: place, underMeasure: measures.underMeasure[place.id] ?? 0,
                                        contactAlerts: measures.contactAlerts[place.id] ?? 0, totals: totals,
                                        actors: actors.map { actor, counts in
                                            var counts = counts
                                            counts.contacted = contacted.rows[Int16(index)]?[actor] ?? 0
                                            return (actor: actor, counts: counts)
                                        })
                }
                var city = ActivityCounts()
                for actors in tally.rows.values { for counts in actors.values { city.addEvents(counts) } }
                city.addEvents(tally.unplaced)
                city.contacted = contacted.city
                return ActivityReport(period: period, headSeq: head, underMeasure: measures.underMeasure.values.reduce(0, +),
                                      contactAlerts: measures.contactAlerts.values.reduce(0, +), city: city, towns: towns)
            }
        } catch let error as RecordDamage {
            throw LedgerError.damagedProjection(reason: error.reason)
        }
    }

    /// The counts of the events dated from `start` to `end` (voided ones included) and the
    /// targets of every void, from one scan of the log through `head` split over the cores.
    private func scanActivity(through head: UInt64, from start: Int64, to end: Int64, timelines: [String: TownTimeline]) throws -> [ActivityScan] {
        let city = self.city
        return try log.scanLayouts(through: head, parts: Self.cores * 2, start: { _ in ActivityScan(city: city) }) { part, value, layout in
            guard !Ledger.isSystemStream(value, layout.streamRange) else { return }
            let inPeriod = layout.at >= start && layout.at <= end
            guard inPeriod || ActivityScan.isVoid(value, layout) else { return }
            do {
                try part.add(value, layout, inPeriod: inPeriod, timelines: timelines)
            } catch let mismatch as CatalogueMismatch {
                throw LedgerError.unknownEvent(seq: layout.seq, reason: mismatch.reason)
            } catch let damage as RecordDamage {
                throw LogError.damaged(seq: layout.seq, reason: damage.reason)
            }
        }
    }
}

/// A participant's towns over time, as `ParticipantHistory.town(through:)` reads them: the
/// register changes that name a town, in log order, each with its town's place in the city.
struct TownTimeline: Sendable {
    private(set) var changes: [(at: Int64, town: Int16)] = []

    init(_ history: ParticipantHistory, towns: [String]) {
        for change in history.register {
            guard let town = change.town, let index = towns.firstIndex(of: town) else { continue }
            changes.append((change.at, Int16(index)))
        }
    }

    /// The town at `end` (its place in the city), by the one rule: the last change at or before it.
    func town(through end: Int64) -> Int16? {
        changes.last { $0.at <= end }?.town
    }
}

/// One seq range's share of the activity scan: the counts so far, and the voids' targets.
struct ActivityScan: Sendable {
    private(set) var tally = ActivityTally()
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

    mutating func add(_ value: Span<UInt8>, _ layout: EventLayout, inPeriod: Bool, timelines: [String: TownTimeline]) throws {
        let effect = try reader.effect(of: layout, in: value)
        if effect.type == .voided {
            let data = try layout.data(in: value)
            guard let target = EventType.voidTarget(in: data) else { throw RecordDamage("a void without its target") }
            voidTargets.append(target)
        }
        guard inPeriod else { return }
        tally.count(effect, at: layout.at, participant: try layout.stream(in: value), actor: try layout.actor(in: value),
                    timelines: timelines, by: 1)
    }
}

/// The measures on the period's last day, and every participant's towns, from the pass
/// over the states; parts add up (each participant is in one).
struct ActivityMeasures: Sendable {
    var timelines: [String: TownTimeline] = [:]
    var underMeasure: [String: Int] = [:]
    var contactAlerts: [String: Int] = [:]

    /// Counts the participant under a measure on `day` in their town that day, and their
    /// `contact` alert (the alerts' rule; `stats`' `overdue`); keeps their towns.
    mutating func add(participant: String, history: ParticipantHistory, on day: CivilDate, rules: PointsRules, towns: [String]) {
        let timeline = TownTimeline(history, towns: towns)
        if !timeline.changes.isEmpty { timelines[participant] = timeline }
        let end = CityZone.endOfDay(day)
        guard let enrolment = AlertRules.currentMeasure(history, through: end), let town = history.town(through: end) else { return }
        underMeasure[town, default: 0] += 1
        if AlertRules.contactAlert(participant: participant, town: town, history: history, enrolment: enrolment,
                                   day: day, end: end, rules: rules) != nil {
            contactAlerts[town, default: 0] += 1
        }
    }

    mutating func add(_ other: ActivityMeasures) {
        timelines.merge(other.timelines) { first, _ in first }
        for (town, count) in other.underMeasure { underMeasure[town, default: 0] += count }
        for (town, count) in other.contactAlerts { contactAlerts[town, default: 0] += count }
    }
}

/// A row of the report: a town and an actor.
struct ActivityRowKey: Hashable, Sendable {
    let town: String
    let actor: String
}

/// The counts of a scan (or of several, added up): per town (its place in the city) and
/// actor, the events by type; and, for the distinct `contacted` counts, how many contacts
/// each participant has in each row, town and the city, so that a voided contact can be
/// taken back. Its size follows the participants and actors, not the events.
struct ActivityTally: Sendable {
    struct RowContact: Hashable, Sendable {
        let town: Int16
        let actor: String
        let participant: String
    }

    struct TownContact: Hashable, Sendable {
        let town: Int16
        let participant: String
    }

    /// town → actor → counts (`contacted` filled in at the end).
    var rows: [Int16: [String: ActivityCounts]] = [:]
    /// Events of participants with no town at their `at`.
    var unplaced = ActivityCounts()
    private var rowContacts: [RowContact: Int] = [:]
    private var townContacts: [TownContact: Int] = [:]
    private var cityContacts: [String: Int] = [:]

    /// Counts (`by` 1) or takes back (`by` −1) one event of `participant` recorded by `actor`.
    mutating func count(_ effect: EventEffect, at: Int64, participant: String, actor: String, timelines: [String: TownTimeline], by step: Int) {
        let result = effect.type == .testResult ? effect.choice(TestResult.self) : nil
        let isContact = effect.type == .checkIn || effect.type == .testResult
        if isContact { cityContacts[participant, default: 0] += step }
        guard let town = timelines[participant]?.town(through: at) else {
            unplaced.add(effect.type, result: result, by: step)
            return
        }
        rows[town, default: [:]][actor, default: ActivityCounts()].add(effect.type, result: result, by: step)
        if isContact {
            rowContacts[RowContact(town: town, actor: actor, participant: participant), default: 0] += step
            townContacts[TownContact(town: town, participant: participant), default: 0] += step
        }
    }

    /// The distinct participants contacted per row, per town and in the city (those whose
    /// contacts were all voided are not).
    func contacted() -> (rows: [Int16: [String: Int]], towns: [Int16: Int], city: Int) {
        var rows: [Int16: [String: Int]] = [:]
        for (key, count) in rowContacts where count > 0 { rows[key.town, default: [:]][key.actor, default: 0] += 1 }
        var towns: [Int16: Int] = [:]
        for (key, count) in townContacts where count > 0 { towns[key.town, default: 0] += 1 }
        return (rows, towns, cityContacts.values.reduce(0) { $0 + ($1 > 0 ? 1 : 0) })
    }

    mutating func add(_ other: ActivityScan) { add(other.tally) }

    mutating func add(_ other: ActivityTally) {
        for (town, actors) in other.rows {
            for (actor, counts) in actors { rows[town, default: [:]][actor, default: ActivityCounts()].addEvents(counts) }
        }
        unplaced.addEvents(other.unplaced)
        rowContacts.merge(other.rowContacts, uniquingKeysWith: +)
        townContacts.merge(other.townContacts, uniquingKeysWith: +)
        cityContacts.merge(other.cityContacts, uniquingKeysWith: +)
    }
}
