/// Insurance enrolments and aid before 2022. Exactly 970 of the 1000 participants on the
/// register at the end of 2022 have a (valid) insurance enrolment by then.
extension HistoryBuilder {
    /// 30 participants on the register at the end of 2022 who never enrolled in insurance
    /// (never a returnee, so that the returnees' old enrolments always count).
    mutating func chooseUninsured() -> [Bool] {
        var pool = people.indices.filter {
            people[$0].registeredAtEnd && people[$0].cohort != .moveBack2020 && people[$0].cohort != .moveBack2021
        }
        rng.shuffle(&pool)
        var result = [Bool](repeating: false, count: people.count)
        for i in pool.prefix(30) { result[i] = true }
        return result
    }

    mutating func addInsurance(_ p: Participant, uninsured: Bool) {
        var ranges = p.days(from: 0, to: LocalTime.lastDay)
        if p.registeredAtEnd {
            if uninsured {
                guard voidedInsuranceLeft > 0, let pick = randomDay(in: ranges), pick.day + 30 <= LocalTime.lastDay else { return }
                voidedInsuranceLeft -= 1
                let minute = LocalTime.minute(day: pick.day, minuteOfDay: workMinute())
                let uid = p.add(PlannedEvent(minute: minute, kind: .insurance, code: 0, town: pick.town))
                p.add(PlannedEvent(minute: minute + rng.range(1, 30) * 1440, kind: .voided, text: 3, town: pick.town, target: uid))
                return
            }
            if p.episodes.count == 2, p.episodes[0].deregDay != nil {
                // A returnee: insured during the current enrolment, or (twice) only before moving away.
                let episode = insuranceTrapsLeft > 0 ? 0 : 1
                if episode == 0 { insuranceTrapsLeft -= 1 }
                ranges = p.activityWindows.filter { $0.episode == episode }.map { ($0.first, $0.last, $0.town) }
            }
        } else if !rng.chance(0.6) {
            return
        }
        let both = rng.chance(0.4)
        let first = rng.below(2)
        for kind in both ? [0, 1] : [first] {
            guard let pick = randomDay(in: ranges) else {
                precondition(!p.registeredAtEnd, "no day to insure \(p.id)")
                return
            }
            p.add(PlannedEvent(minute: LocalTime.minute(day: pick.day, minuteOfDay: workMinute()), kind: .insurance,
                               code: kind, town: pick.town))
        }
    }

    /// Aid before 2022 (it counts in no 2022 figure): some temporary payments and some spells
    /// of monthly subsistence.
    mutating func addEarlierAid(_ p: Participant) {
        let ranges = p.days(from: 0, to: HistoryBuilder.day(2021, 12, 31))
        if rng.chance(0.05), let pick = randomDay(in: ranges) {
            p.add(PlannedEvent(minute: LocalTime.minute(day: pick.day, minuteOfDay: workMinute()), kind: .aidPaid,
                               code: 1, amount: 1000 * rng.range(20, 150), town: pick.town))
        }
        if rng.chance(0.04), let pick = randomDay(in: ranges) {
            let amount = 1000 * rng.range(30, 60)
            let c = LocalTime.civil(pick.day)
            var month = c.month, year = c.year
            for _ in 0 ..< rng.range(6, 18) {
                let day = LocalTime.day(year, month, 10)
                if let r = ranges.first(where: { $0.first <= day && day <= $0.last }) {
                    p.add(PlannedEvent(minute: LocalTime.minute(day: day, minuteOfDay: workMinute()), kind: .aidPaid,
                                       code: 0, amount: amount, town: r.town))
                }
                month += 1
                if month == 13 { month = 1; year += 1 }
            }
        }
    }
}
