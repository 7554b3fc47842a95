/// Check-ins, tests, online study, training before 2022 and point adjustments, on the
/// schedules published by localities: fortnightly check-ins and monthly tests in a measure's
/// first year, then monthly check-ins with tests every two, then three months; sparse
/// follow-ups after a completed measure. Contacts under a measure are never more than 28 days
/// apart, so only the planned lost-contact participants are overdue at the end of 2022.
extension HistoryBuilder {
    mutating func addContacts(_ p: Participant) {
        let priced2022 = HistoryBuilder.day(2022, 1, 1)
        var refusals = 0
        for w in p.activityWindows {
            let stop = min(w.last, (p.lostContactFrom ?? Int.max) - 1)
            guard w.first <= stop else { continue }
            var day = w.first + (w.underMeasure ? rng.range(2, 9) : rng.range(20, 80))
            var nextTest = w.first + rng.range(3, 20)
            while day <= stop {
                let age = day - w.measureStart
                let testDue = w.underMeasure ? day >= nextTest : rng.chance(0.4)
                let online = !testDue && rng.chance(w.underMeasure ? (age < 365 ? 0.1 : 0.3) : 0.5)
                let minute = LocalTime.minute(day: day, minuteOfDay: workMinute())
                p.add(PlannedEvent(minute: minute, kind: .checkIn, code: online ? 2 : rng.range(0, 1), town: w.town))
                if testDue {
                    var result = 0
                    if let from = p.refusalsFrom, day >= from, refusals < 3 {
                        result = 2
                        refusals += 1
                    } else if rng.chance(0.012) {
                        result = 2
                    }
                    p.add(PlannedEvent(minute: minute + 15, kind: .testResult, code: result, town: w.town))
                    if w.underMeasure {
                        nextTest = day + (age < 365 ? rng.range(26, 32) : age < 730 ? rng.range(55, 65) : rng.range(85, 95))
                    }
                }
                if rng.chance(w.underMeasure ? 0.12 : 0.05) {
                    let d = day + rng.range(1, 6)
                    if d <= stop {
                        p.add(PlannedEvent(minute: LocalTime.minute(day: d, minuteOfDay: workMinute()), kind: .education,
                                           text: rng.below(Vocabulary.courses.count), town: w.town))
                    }
                }
                if rng.chance(w.underMeasure ? 0.03 : 0.1) {
                    let d = day + rng.range(1, 6)
                    if d <= stop, d < priced2022 {
                        p.add(PlannedEvent(minute: LocalTime.minute(day: d, minuteOfDay: workMinute()), kind: .training,
                                           code: rng.chance(0.45) ? 0 : 1, town: w.town))
                    }
                }
                if rng.chance(0.015) {
                    let d = day + rng.range(1, 6)
                    if d <= stop {
                        let a = rng.below(Vocabulary.adjustments.count)
                        p.add(PlannedEvent(minute: LocalTime.minute(day: d, minuteOfDay: workMinute()), kind: .pointsAdjusted,
                                           amount: Vocabulary.adjustments[a].delta, text: a, town: w.town))
                    }
                }
                if w.underMeasure, rng.chance(0.01) {
                    // A burst of online check-ins: more than the monthly cap of 4 earns points.
                    let month = LocalTime.monthIndex(day)
                    for extra in 1 ... 3 where day + extra <= stop && LocalTime.monthIndex(day + extra) == month {
                        p.add(PlannedEvent(minute: LocalTime.minute(day: day + extra, minuteOfDay: workMinute()),
                                           kind: .checkIn, code: 2, town: w.town))
                    }
                }
                if w.underMeasure {
                    day += age < 365 ? rng.range(12, 16) : rng.range(24, 28)
                } else {
                    day += rng.range(60, 120)
                }
            }
        }
    }
}
