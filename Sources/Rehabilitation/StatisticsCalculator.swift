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

    /// The end of the year before's 31 December (or of the as-of day, if that comes first):
    /// the day the `_change` figures compare with.
    private let previousEnd: Int64
    private let previousThreeYearsBefore: CivilDate

    init(year: Int, asOf: CivilDate, rules: PointsRules) {
        self.year = year
        self.asOf = asOf
        self.rules = rules
        end = CityZone.endOfDay(asOf)
        yearStart = CityZone.startOfDay(CivilDate(year: year, month: 1, day: 1)!)
        yearEnd = CityZone.startOfDay(CivilDate(year: year + 1, month: 1, day: 1)!)
        previousYearStart = CityZone.startOfDay(CivilDate(year: year - 1, month: 1, day: 1)!)
        threeYearsBefore = Self.threeYearsBefore(asOf)
        let previousDay = min(asOf, CivilDate(year: year - 1, month: 12, day: 31)!)
        previousEnd = CityZone.endOfDay(previousDay)
        previousThreeYearsBefore = Self.threeYearsBefore(previousDay)
    }

    /// D minus 3 years, same month and day (29 February → 28 February).
    private static func threeYearsBefore(_ day: CivilDate) -> CivilDate {
        let target = max(day.year - 3, 1)
        return CivilDate(year: target, month: day.month, day: day.day) ?? CivilDate(year: target, month: day.month, day: 28)!
    }

    /// P's place on the register at the end of a day, from the register changes dated on or
    /// before it.
    private struct Standing {
        let latest: ParticipantHistory.RegisterChange
        let firstEnrolment: ParticipantHistory.RegisterChange
        let program: Program
        let employable: Bool
        let town: String
        let registered: Bool
        let measure: Bool
    }

    private func standing(_ history: ParticipantHistory, through end: Int64) -> Standing? {
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
        // The town of the day: the enrolment's, or a later transfer's.
        guard let latest, let firstEnrolment, case .enrolled(let program, _, let employable) = latest.change,
              let town = history.town(through: end) else { return nil }
        return Standing(latest: latest, firstEnrolment: firstEnrolment, program: program, employable: employable,
                        town: town, registered: registered, measure: measure)
    }

    /// abstinent_3y: `clean_since` (the later of the first-ever enrolment's local date and the
    /// last positive's on or before the day) on or before the day minus 3 years.
    private func isAbstinent(_ history: ParticipantHistory, _ standing: Standing, end: Int64, threeYearsBefore: CivilDate) -> Bool {
        var cleanSince = CityZone.localDate(ofUTC: standing.firstEnrolment.at)
        if let lastPositive = history.positives.filter({ $0 <= end }).max() {
            cleanSince = max(cleanSince, CityZone.localDate(ofUTC: lastPositive))
        }
        return cleanSince <= threeYearsBefore
    }

    /// Adds a participant's figures to their town on the as-of day (nowhere when they have no
    /// enrolment by then), and the year before's to their town on its 31 December. Counts go
    /// straight into the towns' totals: making a figures value per participant would allocate
    /// a dozen tables each time.
    func add(participant: String, history: ParticipantHistory, to towns: inout [String: CityFigures]) {
        if let standing = standing(history, through: end) {
            if towns.index(forKey: standing.town) == nil { towns[standing.town] = CityFigures() }
            count(participant: participant, history: history, standing: standing, into: &towns[standing.town]!)
        }
        if let before = standing(history, through: previousEnd) {
            if towns.index(forKey: before.town) == nil { towns[before.town] = CityFigures() }
            if before.registered {
                towns[before.town]!.previousYear.registered += 1
                if isAbstinent(history, before, end: previousEnd, threeYearsBefore: previousThreeYearsBefore) {
                    towns[before.town]!.previousYear.abstinent3y += 1
                }
            }
            let at = before.firstEnrolment.at
            if at >= previousYearStart, at < yearStart { towns[before.town]!.previousYear.newEnrollments += 1 }
        }
    }

    private func count(participant: String, history: ParticipantHistory, standing: Standing, into figures: inout CityFigures) {
        let (program, measure) = (standing.program, standing.measure)
        if standing.registered {
            figures.registered += 1
            figures.registeredByProgram[program]! += 1
            if measure { figures.underMeasure[program]! += 1 }
            if standing.employable {
                figures.employable += 1
                if isEmployed(history) { figures.employed += 1 }
            }
            if history.insurance.contains(where: { $0 <= end }) { figures.insured += 1 }
            if isAbstinent(history, standing, end: end, threeYearsBefore: threeYearsBefore) { figures.abstinent3y += 1 }
            figures.pointsOutstanding += history.points.reduce(0) { $1.at <= end ? $0 + $1.delta : $0 }
            if measure, AlertRules.contactAlert(participant: participant, town: standing.town, history: history, enrolment: standing.latest,
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
            let either = relapse(history, measures: measures, program: nil, from: yearStart, to: yearEnd)
            figures.consolidation.participants += either.participants
            figures.consolidation.relapsed += either.relapsed
        }
        if inYear(standing.firstEnrolment.at) { figures.newEnrollments += 1 }
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

    /// Relapse over the measures of `program` (of either programme when nil) running at some
    /// moment from `start` to before `finish`.
    private func relapse(
        _ history: ParticipantHistory, measures: [(program: Program, start: Int64, end: Int64?)], program: Program?,
        from start: Int64, to finish: Int64
    ) -> CityFigures.Relapse {
        var result = CityFigures.Relapse()
        let running = measures.filter { (program == nil || $0.program == program) && $0.start < finish && ($0.end.map { $0 > start } ?? true) }
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
