import EventLog

/// Computes the city's figures from participant histories (docs/statistics.md). Every figure
/// of a participant, year-long ones included, counts in the town of their latest enrolment on
/// or before the as-of day; events dated after that day do not count.
struct StatisticsCalculator {
    let year: Int
    let asOf: CivilDate
    let rules: PointsRules
    private let end: Int64
    private let yearStart: Int64
    private let yearEnd: Int64
    private let previousYearStart: Int64
    private let threeYearsBefore: CivilDate

    init(year: Int, asOf: CivilDate, rules: PointsRules) {
        self.year = year
        self.asOf = asOf
        self.rules = rules
        end = CityZone.endOfDay(asOf)
        yearStart = CityZone.startOfDay(CivilDate(year: year, month: 1, day: 1)!)
        yearEnd = CityZone.startOfDay(CivilDate(year: year + 1, month: 1, day: 1)!)
        previousYearStart = CityZone.startOfDay(CivilDate(year: year - 1, month: 1, day: 1)!)
        let target = asOf.year - 3
        threeYearsBefore = CivilDate(year: max(target, 1), month: asOf.month, day: asOf.day)
            ?? CivilDate(year: max(target, 1), month: asOf.month, day: 28)!
    }

    /// Adds a participant's figures to the town of their latest enrolment on or before the
    /// day (nowhere when there is none). Counts go straight into the town's totals: making a
    /// figures value per participant would allocate a dozen tables each time.
    func add(participant: String, history: ParticipantHistory, to towns: inout [String: CityFigures]) {
        var latest: ParticipantHistory.RegisterChange?
        var firstEnrolment: ParticipantHistory.RegisterChange?
        var registered = false
        var measure = false
        for change in history.register where change.at <= end {
            switch change.change {
            case .enrolled:
                latest = change
                if firstEnrolment == nil { firstEnrolment = change }
                registered = true
                measure = true
            case .transferred:
                break
            case .measureEnded:
                measure = false
            case .deregistered:
                registered = false
                measure = false
            }
        }
        // The town of the as-of day: the enrolment's, or a later transfer's.
        guard let latest, let firstEnrolment, case .enrolled(let program, _, let employable) = latest.change,
              let town = history.town(through: end) else { return }
        if towns.index(forKey: town) == nil { towns[town] = CityFigures() }
        count(participant: participant, history: history, latest: latest, firstEnrolment: firstEnrolment,
              program: program, town: town, employable: employable, registered: registered, measure: measure,
              into: &towns[town]!)
    }

    private func count(
        participant: String, history: ParticipantHistory, latest: ParticipantHistory.RegisterChange,
        firstEnrolment: ParticipantHistory.RegisterChange, program: Program, town: String, employable: Bool,
        registered: Bool, measure: Bool, into figures: inout CityFigures
    ) {
        if registered {
            figures.registered += 1
            figures.registeredByProgram[program]! += 1
            if measure { figures.underMeasure[program]! += 1 }
            if employable {
                figures.employable += 1
                if isEmployed(history) { figures.employed += 1 }
            }
            if history.insurance.contains(where: { $0 <= end }) { figures.insured += 1 }
            var cleanSince = CityZone.localDate(ofUTC: firstEnrolment.at)
            if let lastPositive = history.positives.filter({ $0 <= end }).max() {
                cleanSince = max(cleanSince, CityZone.localDate(ofUTC: lastPositive))
            }
            if cleanSince <= threeYearsBefore { figures.abstinent3y += 1 }
            figures.pointsOutstanding += history.points.reduce(0) { $1.at <= end ? $0 + $1.delta : $0 }
            if measure, AlertRules.contactAlert(participant: participant, town: town, history: history, enrolment: latest,
                                                day: asOf, end: end, rules: rules) != nil {
                figures.overdue += 1
            }
        }
        let measures = measureIntervals(history)
        if !measures.isEmpty {
            for program in Program.allCases {
                let current = relapse(history, measures: measures, program: program, from: yearStart, to: yearEnd)
                figures.relapse[program]!.participants += current.participants
                figures.relapse[program]!.relapsed += current.relapsed
                let previous = relapse(history, measures: measures, program: program, from: previousYearStart, to: yearStart)
                figures.relapsePreviousYear[program]!.participants += previous.participants
                figures.relapsePreviousYear[program]!.relapsed += previous.relapsed
            }
        }
        if inYear(firstEnrolment.at) { figures.newEnrollments += 1 }
        var receivedAid: (subsistence: Bool, temporary: Bool) = (false, false)
        for payment in history.payments where inYear(payment.at) {
            if let aid = payment.aid {
                figures.aid[aid]!.amountFen += payment.amountFen
                if aid == .subsistence { receivedAid.subsistence = true } else { receivedAid.temporary = true }
            } else {
                figures.employerSubsidiesFen += payment.amountFen
            }
        }
        if receivedAid.subsistence { figures.aid[.subsistence]!.recipients += 1 }
        if receivedAid.temporary { figures.aid[.temporary]!.recipients += 1 }
        for job in history.jobs where inYear(job.at) {
            if let kind = job.placed { figures.placements[kind]! += 1 }
        }
        for entry in history.training where inYear(entry.at) { figures.training[entry.kind]! += 1 }
        for change in history.points where inYear(change.at) {
            if change.isRedemption {
                figures.pointsRedeemed -= change.delta
            } else if change.delta > 0 {
                figures.pointsAwarded += change.delta
            } else {
                figures.pointsDeducted -= change.delta
            }
        }
    }

    private func inYear(_ at: Int64) -> Bool { at >= yearStart && at < yearEnd && at <= end }

    /// A job placed on or before the day, not followed (in log order) by its ending or a
    /// deregistration on or before the day.
    private func isEmployed(_ history: ParticipantHistory) -> Bool {
        var open = false
        var jobIndex = 0
        var registerIndex = 0
        // Merge jobs and deregistrations by seq.
        while jobIndex < history.jobs.count || registerIndex < history.register.count {
            let job = jobIndex < history.jobs.count ? history.jobs[jobIndex] : nil
            let change = registerIndex < history.register.count ? history.register[registerIndex] : nil
            if let job, change.map({ job.seq < $0.seq }) ?? true {
                jobIndex += 1
                if job.at <= end { open = job.placed != nil }
            } else if let change {
                registerIndex += 1
                if change.at <= end, case .deregistered = change.change { open = false }
            }
        }
        return open
    }

    /// Each enrolment's measure: from its `at` up to (not including) the `at` of the
    /// `measure_ended` or `deregistered` that follows it, or on without end.
    private func measureIntervals(_ history: ParticipantHistory) -> [(program: Program, start: Int64, end: Int64?)] {
        var intervals: [(program: Program, start: Int64, end: Int64?)] = []
        for change in history.register where change.at <= end {
            switch change.change {
            case .enrolled(let program, _, _):
                intervals.append((program, change.at, nil))
            case .transferred:
                break
            case .measureEnded, .deregistered:
                if let last = intervals.indices.last, intervals[last].end == nil { intervals[last].end = change.at }
            }
        }
        return intervals
    }

    private func relapse(
        _ history: ParticipantHistory, measures: [(program: Program, start: Int64, end: Int64?)], program: Program,
        from start: Int64, to finish: Int64
    ) -> CityFigures.Relapse {
        var result = CityFigures.Relapse()
        let running = measures.filter { $0.program == program && $0.start < finish && ($0.end.map { $0 > start } ?? true) }
        guard !running.isEmpty else { return result }
        result.participants = 1
        let relapsed = history.positives.contains { positive in
            positive >= start && positive < finish && positive <= end
                && running.contains { positive >= $0.start && ($0.end.map { positive < $0 } ?? true) }
        }
        if relapsed { result.relapsed = 1 }
        return result
    }
}
