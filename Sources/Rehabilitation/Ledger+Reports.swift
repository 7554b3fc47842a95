import EventLog
import LMDB

extension Ledger {
    /// The city's figures for `year` as of `asOf`, over the ledger cut at `cut`. At the head
    /// they come from the projection; an earlier cut replays the log up to it, with the rules
    /// adopted by then.
    public func statistics(year: Int, asOf: CivilDate, cut: LedgerCut = .everything, town: String? = nil) throws -> StatisticsReport {
        let reports = try statistics(years: [(year, asOf)], cut: cut, town: town)
        guard let report = reports.first else { preconditionFailure("one report per year asked for") }
        return report
    }

    /// The most years one call computes (a trend of a decade or a few).
    public static let maximumStatisticsYears = 64

    /// The figures of several years (each as of its own day) from one pass over the states:
    /// each state is decoded once and counted into every year's figures (a figures page's
    /// trend). Each report equals what `statistics(year:asOf:cut:town:)` gives for that year.
    public func statistics(years: [(year: Int, asOf: CivilDate)], cut: LedgerCut = .everything, town: String? = nil) throws -> [StatisticsReport] {
        try statisticsWithSpan(years: years, cut: cut, town: town).reports
    }

    /// As `statistics(years:cut:town:)`, and from the same pass the local years from the
    /// earliest enrolment to the latest register change or contact (what `eventYears()`
    /// gives) over the same cut: a figures page needs both, and the pass over the states is
    /// what costs.
    public func statisticsWithSpan(years: [(year: Int, asOf: CivilDate)], cut: LedgerCut = .everything, town: String? = nil) throws
        -> (reports: [StatisticsReport], span: ClosedRange<Int>?) {
        precondition(years.count <= Self.maximumStatisticsYears, "at most \(Self.maximumStatisticsYears) years at once")
        return try readingReports { transaction in
            let head = try log.head(in: transaction).seq
            let through: UInt64
            switch cut {
            case .everything: through = head
            case .seq(let seq): through = min(seq, head)
            case .recordedBy(let instant): through = try log.lastSeq(recordedAtOrBefore: instant, in: transaction)
            }
            let rules = try adoptedRules(in: transaction, through: through)
            let calculators = years.map { StatisticsCalculator(year: $0.year, asOf: $0.asOf, rules: rules) }
            var byTown = [[String: CityFigures]](repeating: [:], count: years.count)
            var span = ActivitySpan()
            // At the head the projection answers, unless it is known to lag the log: then the
            // log is replayed (and a record the catalogue does not know is found).
            let projectionIsCurrent = try projectedThrough(in: transaction).map { $0 == head } ?? false
            if through == head, projectionIsCurrent {
                let empty = (figures: [[String: CityFigures]](repeating: [:], count: years.count), span: ActivitySpan())
                let parts = try foldStoredStates(in: transaction, scope: .history, into: empty) { part, participant, state in
                    for (index, calculator) in calculators.enumerated() {
                        calculator.add(participant: participant, history: state.history, to: &part.figures[index])
                    }
                    part.span.add(state.history)
                }
                // Per-town counts are sums, so the cores' parts simply add up.
                for part in parts {
                    for (index, towns) in part.figures.enumerated() {
                        for (town, figures) in towns { byTown[index][town, default: CityFigures()].add(figures) }
                    }
                    span.add(part.span)
                }
            } else {
                // A replay of the cut, folded a batch at a time.
                _ = try replayParticipants(in: transaction, rules: rules, through: through) { batch in
                    for (index, state) in batch.states.enumerated() {
                        let participant = batch.participant(index)
                        for (year, calculator) in calculators.enumerated() {
                            calculator.add(participant: participant, history: state.history, to: &byTown[year])
                        }
                        span.add(state.history)
                    }
                }
            }
            let reports = years.indices.map { index in
                var city = CityFigures()
                for figures in byTown[index].values { city.add(figures) }
                let towns = self.city.towns.filter { town == nil || $0.id == town }.map { ($0, byTown[index][$0.id] ?? CityFigures()) }
                return StatisticsReport(year: years[index].year, asOf: years[index].asOf, headSeq: through, city: city, towns: towns)
            }
            return (reports, span.years)
        }
    }

    /// The participants under a measure who need action on `day`, sorted by town id, then
    /// participant id (bytes); within a participant, contact, serious_violation, relapse_report.
    public func alerts(on day: CivilDate, town: String? = nil) throws -> [Alert] {
        try readingReports { transaction in
            try requireCurrentProjection(head: try log.head(in: transaction).seq, in: transaction)
            let rules = try adoptedRules(in: transaction)
            let alerts = try foldStoredStates(in: transaction, scope: .alerts, into: [Alert]()) { alerts, participant, state in
                for alert in AlertRules.alerts(participant: participant, history: state.history, on: day, rules: rules)
                where town == nil || alert.town == town {
                    alerts.append(alert)
                }
            }.flatMap { $0 }
            let order = Dictionary(uniqueKeysWithValues: Alert.Kind.allCases.enumerated().map { ($1, $0) })
            return alerts.sorted { lhs, rhs in
                if lhs.town != rhs.town { return lhs.town.utf8.lexicographicallyPrecedes(rhs.town.utf8) }
                if lhs.participant != rhs.participant { return lhs.participant.utf8.lexicographicallyPrecedes(rhs.participant.utf8) }
                return order[lhs.kind]! < order[rhs.kind]!
            }
        }
    }

    /// Writes a consistent, compacted copy of the ledger to `destination` and returns the
    /// copy's verification (so the caller can print its head hash).
    public func backup(to destination: String) throws -> VerificationReport {
        try log.backup(to: destination)
    }

    /// How many stored states one round of `foldStoredStates` copies out before decoding them
    /// on every core, and how many of their bytes: a state grows with its participant's events
    /// (a few hundred bytes after ten, a few KiB after a hundred), so the round is cut by bytes
    /// as well, and its heap stays the same however long the log is.
    static let statesPerFoldRound = 8_192
    static let stateBytesPerFoldRound = 2 << 20

    /// Decodes every stored participant state, as far as `scope` asks, and folds each into
    /// one of `cores` parts starting from `initial`; every participant is folded into exactly
    /// one part, in no order the caller may rely on (the callers add the parts up or sort).
    /// The states are copied out of the snapshot a round at a time in one cursor walk (a
    /// transaction belongs to one thread), then decoded on every core: memory is bounded by
    /// a round, not by the projection.
    func foldStoredStates<Part: Sendable>(
        in transaction: Transaction, scope: ParticipantState.DecodingScope, into initial: Part,
        _ fold: @Sendable (inout Part, String, ParticipantState) -> Void
    ) throws -> [Part] {
        var parts = [Part](repeating: initial, count: Self.cores)
        var round: [(participant: [UInt8], state: [UInt8])] = []
        var roundBytes = 0
        round.reserveCapacity(Self.statesPerFoldRound)
        func foldRound() throws {
            guard !round.isEmpty else { return }
            let sliceSize = (round.count + parts.count - 1) / parts.count
            let slices = parts.indices.map { index in
                Array(round[min(index * sliceSize, round.count) ..< min((index + 1) * sliceSize, round.count)])
            }
            let work = Array(zip(parts, slices))
            parts = []
            parts = try work.parallelMap { start, slice in
                Result { () throws(RecordDamage) -> Part in
                    var part = start
                    for (key, value) in slice {
                        guard let participant = key.span.utf8String(from: 0, count: key.count) else {
                            throw RecordDamage("a participant key is not UTF-8")
                        }
                        fold(&part, participant, try ParticipantState(decoding: value.span, scope: scope))
                    }
                    return part
                }
            }.map { try $0.get() }
            round.removeAll(keepingCapacity: true)
            roundBytes = 0
        }
        try transaction.withCursor(try states(in: transaction)) { cursor in
            guard try cursor.move(.first) else { return }
            repeat {
                cursor.withCurrent { key, value in
                    round.append((key.copiedBytes(), value.copiedBytes()))
                    roundBytes += key.count + value.count
                }
                if round.count == Self.statesPerFoldRound || roundBytes >= Self.stateBytesPerFoldRound { try foldRound() }
            } while try cursor.move(.next)
        }
        try foldRound()
        return parts
    }

    private func readingReports<T>(_ body: (Transaction) throws -> T) throws -> T {
        do {
            return try log.read(body)
        } catch let error as RecordDamage {
            throw LedgerError.damagedProjection(reason: error.reason)
        }
    }
}

/// The earliest enrolment and the latest register change or contact seen in a pass over the
/// states, as local years.
struct ActivitySpan: Sendable {
    var first = Int64.max
    var last = Int64.min

    mutating func add(_ history: ParticipantHistory) {
        if let at = history.register.first?.at { first = min(first, at) }
        if let at = history.register.last?.at { last = max(last, at) }
        if let at = history.contacts.max() { last = max(last, at) }
    }

    mutating func add(_ other: ActivitySpan) {
        first = min(first, other.first)
        last = max(last, other.last)
    }

    var years: ClosedRange<Int>? {
        guard first != .max, last != .min else { return nil }
        let from = CityZone.localDate(ofUTC: first).year
        return from ... max(from, CityZone.localDate(ofUTC: last).year)
    }
}
