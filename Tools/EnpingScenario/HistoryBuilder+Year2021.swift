/// The 2021 figures the 2022 report compares with, checked on the skeleton (episodes and
/// planned positives) before any other event is placed: 987 registered and 671 abstinent three
/// years on 2021-12-31 (abstinence rate change 0.188519 to 2022's 808/1000), 40 first-ever
/// enrolments in 2021 as in 2022, and a consolidation rate (participants under a measure of
/// either programme in the year without a positive test under it) above 90 % in 2021 and 2022.
extension HistoryBuilder {
    static let registered2021 = 987
    static let abstinent2021 = 671
    static let newEnrolments2021 = 40

    func checkYear2021() {
        let d = HistoryBuilder.day
        let dec31 = d(2021, 12, 31), cutoff = LocalTime.adding(years: -3, to: dec31)
        var registered = 0, abstinent = 0, newcomers = 0
        for p in people {
            if LocalTime.year(p.episodes[0].enrolDay) == 2021 { newcomers += 1 }
            guard let current = p.episodes.last(where: { $0.enrolDay <= dec31 }),
                  current.deregDay.map({ $0 > dec31 }) ?? true else { continue }
            registered += 1
            // Positives that count on 2021-12-31: dated by then and not voided by then.
            let positives = p.positives.filter { pos in
                pos.day <= dec31 && (pos.voidAfter.map { pos.day + $0 > dec31 } ?? true)
            }
            let clean = max(p.episodes[0].enrolDay, positives.map { $0.day }.max() ?? Int.min)
            if clean <= cutoff { abstinent += 1 }
        }
        precondition(registered == HistoryBuilder.registered2021, "\(registered) registered at the end of 2021")
        precondition(abstinent == HistoryBuilder.abstinent2021, "\(abstinent) abstinent at the end of 2021")
        precondition(newcomers == HistoryBuilder.newEnrolments2021, "\(newcomers) first enrolled in 2021")

        for year in 2021 ... 2022 {
            let from = LocalTime.minute(day: d(year, 1, 1), minuteOfDay: 0)
            let to = LocalTime.minute(day: d(year + 1, 1, 1), minuteOfDay: 0)
            var measured = 0, relapsed = 0
            for p in people {
                // A measure runs from its enrolment to its measure_ended or deregistered (or on).
                let running: [(Int, Int)] = p.episodes.compactMap { ep in
                    let stop = ep.measureEndDay.map { LocalTime.minute(day: $0, minuteOfDay: ep.measureEndReason == 1 ? 600 : 900) }
                        ?? ep.deregDay.map { LocalTime.minute(day: $0, minuteOfDay: 630) } ?? Int.max
                    return max(ep.enrolMinute, from) < min(stop, to) ? (ep.enrolMinute, stop) : nil
                }
                guard !running.isEmpty else { continue }
                measured += 1
                if p.positives.contains(where: { pos in
                    let at = LocalTime.minute(day: pos.day, minuteOfDay: pos.minuteOfDay)
                    return pos.voidAfter == nil && LocalTime.year(pos.day) == year
                        && running.contains { $0.0 <= at && at < $0.1 }
                }) { relapsed += 1 }
            }
            precondition(relapsed * 10 < measured, "consolidation \(measured - relapsed)/\(measured) in \(year)")
        }
    }
}
