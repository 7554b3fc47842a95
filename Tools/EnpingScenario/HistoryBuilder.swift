/// Builds the Enping 2016–2022 history: participants from the design table, their episodes,
/// their ordinary events, the 2022 allocations that fix the published counts, and finally the
/// points replay that decides redemptions. One seeded generator drives every choice, always
/// in the same order, so the same seed gives the same history.
struct HistoryBuilder {
    var rng: SplitMix64
    var people: [Participant] = []
    /// 2022 job placements whose kind is drawn from the published 74/4/7 split.
    var placements2022: [(person: Int, uid: Int)] = []
    /// Enterprise placements of late 2021 whose six-month retention subsidy is paid in 2022.
    var retentionPlacements: [(person: Int, uid: Int)] = []
    /// Participants whose only insurance enrolment predates a deregistration they came back from.
    var insuranceTrapsLeft = 2
    /// Uninsured participants whose one insurance enrolment was voided.
    var voidedInsuranceLeft = 1

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// Shorthand for a day number.
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int { LocalTime.day(y, m, d) }

    /// The whole history, participants numbered by first enrolment.
    mutating func build() -> [Participant] {
        var ordinal = 0
        for (cohort, roles) in Cohort.design {
            for (role, count) in roles {
                for _ in 0 ..< count {
                    let town = EnpingTown.random(&rng)
                    let person = Participant(cohort: cohort, role: role, ordinal: ordinal,
                                             worker: 1 + rng.below(EnpingTown.all[town].workers))
                    makeEpisodes(person, town: town)
                    person.computeWindows()
                    people.append(person)
                    ordinal += 1
                }
            }
        }
        people.sort { ($0.firstEnrolMinute, $0.ordinal) < ($1.firstEnrolMinute, $1.ordinal) }
        for (i, p) in people.enumerated() { p.number = i + 1 }
        checkYear2021()

        assignEmployment()
        let uninsured = chooseUninsured()
        for (i, p) in people.enumerated() {
            addSkeleton(p)
            addContacts(p)
            addJobs(p, index: i)
            addInsurance(p, uninsured: uninsured[i])
            addEarlierAid(p)
        }
        allocate2022()
        addScatteredVoids()
        for p in people { PointsReplay.finish(p, rng: &rng) }
        return people
    }

    /// A random minute of a working day on the five-minute grid (08:30–16:55).
    mutating func workMinute() -> Int { 510 + 5 * rng.below(102) }

    /// A random day in the given ranges, uniformly over their days.
    mutating func randomDay(in ranges: [(first: Int, last: Int, town: Int)]) -> (day: Int, town: Int)? {
        let total = ranges.reduce(0) { $0 + ($1.last - $1.first + 1) }
        guard total > 0 else { return nil }
        var k = rng.below(total)
        for r in ranges {
            let n = r.last - r.first + 1
            if k < n { return (r.first + k, r.town) }
            k -= n
        }
        return nil
    }

    /// Enrolments, measure ends, deregistrations and planned positive tests (with their voids).
    func addSkeleton(_ p: Participant) {
        for ep in p.episodes {
            p.add(PlannedEvent(minute: ep.enrolMinute, kind: .enrolled, code: ep.program,
                               town: ep.town, flag: p.employable))
            if let end = ep.measureEndDay {
                p.add(PlannedEvent(minute: LocalTime.minute(day: end, minuteOfDay: ep.measureEndReason == 1 ? 600 : 900),
                                   kind: .measureEnded, code: ep.measureEndReason, town: ep.town))
            }
            if let dereg = ep.deregDay {
                p.add(PlannedEvent(minute: LocalTime.minute(day: dereg, minuteOfDay: 630),
                                   kind: .deregistered, code: ep.deregReason, town: ep.town))
            }
        }
        for pos in p.positives {
            let minute = LocalTime.minute(day: pos.day, minuteOfDay: pos.minuteOfDay)
            let town = p.town(on: pos.day)
            let uid = p.add(PlannedEvent(minute: minute, kind: .testResult, code: 1, town: town))
            if let after = pos.voidAfter {
                p.add(PlannedEvent(minute: minute + after * 1440 + 30, kind: .voided, text: 0,
                                   town: town, target: uid))
            }
        }
    }
}
