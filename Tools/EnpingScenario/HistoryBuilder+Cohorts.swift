/// The episode skeleton of each cohort: the date windows here are what puts every participant
/// on the right side of the year boundaries the figures look at (see `Cohort`).
extension HistoryBuilder {
    mutating func makeEpisodes(_ p: Participant, town: Int) {
        let d = HistoryBuilder.day
        let earliest = d(2016, 1, 4)
        func enrol(_ day: Int, _ program: Int, _ town: Int) -> Episode {
            Episode(enrolDay: day, minuteOfDay: 540 + 5 * rng.below(36), program: program, town: town)
        }
        func completed(_ e: inout Episode) {
            let end = LocalTime.adding(years: 3, to: e.enrolDay)
            if end <= LocalTime.lastDay { e.measureEndDay = end }
        }
        func isolate(_ e: inout Episode, after positive: Int) {
            e.measureEndDay = positive + rng.range(7, 14)
            e.measureEndReason = 1
        }
        func positive(_ day: Int, void: Int? = nil) {
            p.positives.append((day, 540 + 5 * rng.below(90), void))
        }
        /// An early positive in a detox measure that moves neither abstinence figure: for someone
        /// first enrolled by 2018 it falls by 30 Nov 2018 (clean since before 2019, so abstinent
        /// three years at the end of 2021 either way); for someone first enrolled in 2019 (not
        /// abstinent at the end of 2021 anyway) by 30 Nov 2019 (clean since before 2020, as the
        /// end of 2022 needs).
        func maybeEarlyPositive(_ e: Episode, chance: Double) {
            guard p.role == .plain, rng.chance(chance) else { return }
            let bound = e.enrolDay <= d(2018, 12, 31) ? d(2018, 11, 30) : d(2019, 11, 30)
            let hi = min((e.measureEndDay ?? e.deregDay ?? LocalTime.lastDay) - 10, bound)
            if e.enrolDay + 30 <= hi { positive(rng.range(e.enrolDay + 30, hi)) }
        }

        switch p.cohort {
        case .doneEarly:
            var e = enrol(rng.range(earliest, d(2017, 12, 15)), 0, town)
            completed(&e)
            if p.role == .positive2019 {
                // Never on the day the measure ends (the measure ends on a 2019 or 2020 day).
                var day = rng.range(d(2019, 2, 1), d(2019, 11, 30))
                if day == e.measureEndDay { day -= 1 }
                positive(day)
            }
            maybeEarlyPositive(e, chance: 0.05)
            p.episodes = [e]

        case .done2018:
            let voided = p.role == .voidedPositive2021
            var e = enrol(rng.range(voided ? d(2018, 6, 1) : d(2018, 1, 8), d(2018, 12, 15)), 0, town)
            completed(&e)
            if voided { positive(rng.range(d(2021, 1, 10), e.measureEndDay! - 20), void: rng.range(3, 6)) }
            maybeEarlyPositive(e, chance: 0.04)
            p.episodes = [e]

        case .done2019:
            let voided = p.role == .voidedPositive2022
            var e = enrol(rng.range(voided ? d(2019, 5, 1) : d(2019, 1, 7), d(2019, 11, 25)), 0, town)
            completed(&e)
            switch p.role {
            case .relapse2021(let iso):
                let day = rng.range(d(2021, 2, 1), d(2021, 11, 30))
                positive(day)
                if iso { isolate(&e, after: day) }
            case .voidedPositive2022:
                positive(rng.range(d(2022, 1, 10), e.measureEndDay! - 20), void: rng.range(3, 6))
            default:
                maybeEarlyPositive(e, chance: 0.04)
            }
            p.episodes = [e]

        case .rehab2018, .rehab2019, .rehab2020, .rehab2021, .rehab2022:
            let window: (Int, Int)
            switch (p.cohort, p.role) {
            case (.rehab2018, .plain): window = (d(2018, 4, 1), d(2018, 12, 10))
            case (.rehab2018, _): window = (d(2018, 5, 1), d(2018, 12, 10))
            case (.rehab2019, _): window = (d(2019, 1, 10), d(2019, 12, 10))
            case (.rehab2020, _): window = (d(2020, 1, 10), d(2020, 12, 10))
            // From mid-February 2021 on, so that the positive before isolation (two years and
            // 20–42 days earlier) falls in 2019: not abstinent at the end of 2021, abstinent at
            // the end of 2022.
            case (.rehab2021, .plain): window = (d(2021, 2, 15), d(2021, 12, 10))
            case (.rehab2021, _): window = (d(2021, 2, 15), d(2021, 9, 30))
            case (_, .plain): window = (d(2022, 2, 20), d(2022, 10, 31))
            default: window = (d(2022, 2, 20), d(2022, 9, 30))
            }
            let start = rng.range(window.0, window.1)
            let isolation = LocalTime.adding(years: -2, to: start) - rng.range(15, 30)
            let firstPositive = isolation - rng.range(5, 12)
            var detox = enrol(rng.range(max(earliest, firstPositive - 700), firstPositive - 30), 0, town)
            detox.measureEndDay = isolation
            detox.measureEndReason = 1
            positive(firstPositive)
            var rehab = enrol(start, 1, rng.chance(0.9) ? town : EnpingTown.random(&rng))
            completed(&rehab)
            switch p.role {
            case .relapse2021(let iso):
                let hi = min(d(2021, 12, 15), (rehab.measureEndDay ?? LocalTime.lastDay) - 30)
                let day = rng.range(max(d(2021, 1, 10), start + 30), hi)
                positive(day)
                if iso { isolate(&rehab, after: day) }
            case .relapse2022(let iso):
                let day = rng.range(max(d(2022, 1, 10), start + 30), d(2022, 12, 10))
                positive(day)
                if iso { isolate(&rehab, after: day) }
            default: break
            }
            p.episodes = [detox, rehab]

        case .moveBack2020, .moveBack2021:
            var first = enrol(rng.range(earliest, d(2017, 6, 30)), 0, town)
            first.deregDay = first.enrolDay + rng.range(120, 540)
            first.deregReason = 0
            let back = p.cohort == .moveBack2020 ? rng.range(d(2020, 2, 1), d(2020, 12, 10))
                                                 : rng.range(d(2021, 1, 10), d(2021, 12, 10))
            let second = enrol(back, 0, rng.chance(0.5) ? town : EnpingTown.random(&rng))
            p.episodes = [first, second]

        case .followUpPositive:
            var first = enrol(rng.range(d(2016, 3, 1), d(2017, 6, 30)), 0, town)
            completed(&first)
            let day = rng.range(d(2021, 3, 1), d(2021, 6, 30))
            positive(day)
            p.episodes = [first, enrol(day + rng.range(10, 15), 0, town)]

        case .lateFollowUpPositive:
            var e = enrol(rng.range(earliest, d(2017, 10, 31)), 0, town)
            completed(&e)
            positive(rng.range(d(2022, 3, 1), d(2022, 10, 31)))
            p.episodes = [e]

        case .new2020, .new2021, .new2022:
            let window: (Int, Int)
            switch (p.cohort, p.role) {
            case (.new2020, _): window = (d(2020, 1, 15), d(2020, 12, 10))
            case (.new2021, .relapse2021): window = (d(2021, 1, 11), d(2021, 10, 31))
            case (.new2021, _): window = (d(2021, 1, 11), d(2021, 12, 10))
            case (_, .relapse2022): window = (d(2022, 1, 10), d(2022, 9, 30))
            default: window = (d(2022, 1, 10), d(2022, 11, 30))
            }
            var e = enrol(rng.range(window.0, window.1), 0, town)
            switch p.role {
            case .relapse2021(let iso):
                let day = rng.range(max(d(2021, 1, 10), e.enrolDay + 30), d(2021, 12, 10))
                positive(day)
                if iso { isolate(&e, after: day) }
            case .relapse2022(let iso):
                let day = rng.range(max(d(2022, 1, 10), e.enrolDay + 30), d(2022, 12, 10))
                positive(day)
                if iso { isolate(&e, after: day) }
            case .lostContact:
                p.lostContactFrom = rng.range(d(2022, 10, 1), d(2022, 11, 20))
            case .seriousViolation:
                p.refusalsFrom = d(2022, 5, 1)
            default: break
            }
            p.episodes = [e]

        case .deceased2021:
            var e = enrol(rng.range(d(2019, 1, 7), d(2019, 11, 25)), 0, town)
            e.deregDay = rng.range(d(2021, 2, 1), d(2021, 11, 30))
            e.deregReason = 1
            p.episodes = [e]

        case .leaving2022:
            var e = enrol(rng.range(earliest, d(2017, 9, 30)), 0, town)
            completed(&e)
            e.deregDay = rng.range(d(2022, 8, 1), d(2022, 11, 30))
            e.deregReason = 0
            p.episodes = [e]

        case .leavingEarly2022:
            var e = enrol(rng.range(earliest, d(2017, 9, 30)), 0, town)
            completed(&e)
            e.deregDay = rng.range(d(2022, 1, 10), d(2022, 3, 31))
            e.deregReason = rng.chance(0.7) ? 0 : 1
            p.episodes = [e]

        case .newLeft2020:
            var e = enrol(rng.range(d(2020, 1, 15), d(2020, 6, 30)), 0, town)
            e.deregDay = e.enrolDay + rng.range(30, 150)
            e.deregReason = rng.chance(0.6) ? 0 : 2
            p.episodes = [e]

        case .leftEarly:
            var e = enrol(rng.range(earliest, d(2019, 10, 31)), 0, town)
            let end = LocalTime.adding(years: 3, to: e.enrolDay)
            let lastLeave = d(2020, 12, 10)
            let variant = rng.below(100)
            if variant < 30, end + 30 <= lastLeave {
                e.measureEndDay = end
                e.deregDay = rng.range(end + 30, lastLeave)
                e.deregReason = rng.chance(0.6) ? 0 : 1
            } else if variant < 45, e.enrolDay + 60 <= min(end - 30, d(2020, 10, 1)) - 320 {
                let day = rng.range(e.enrolDay + 60, min(end - 30, d(2020, 10, 1)) - 320)
                positive(day)
                isolate(&e, after: day)
                e.deregDay = e.measureEndDay! + rng.range(30, 300)
                e.deregReason = 2
            } else {
                e.deregDay = rng.range(e.enrolDay + 30, min(end - 10, lastLeave))
                let r = rng.below(100)
                e.deregReason = r < 45 ? 0 : (r < 65 ? 1 : 2)
                maybeEarlyPositive(e, chance: 0.05)
            }
            p.episodes = [e]
        }
    }
}
