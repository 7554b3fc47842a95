/// Who is employable and what their jobs look like. The employable participants on the
/// register at the end of 2022 are exactly 500, of whom exactly 480 hold a job then, and the
/// 2022 placements are exactly 85 (74 enterprise, 4 self-employment, 7 public welfare; the
/// kinds are drawn in `allocate2022`).
extension HistoryBuilder {
    mutating func assignEmployment() {
        let d = HistoryBuilder.day
        var candidates: [Int] = []
        for (i, p) in people.enumerated() {
            if !p.registeredAtEnd {
                p.employable = p.role == .placement2022 || rng.chance(0.5)
                p.employment = p.role == .placement2022 ? .leaverPlacement2022 : (p.employable ? .history : .none)
            } else if p.cohort == .followUpPositive {
                p.employable = true
                p.employment = .openBefore2022(retention: false)
            } else if !p.isolatedAtEnd && p.role != .lostContact {
                candidates.append(i)
            }
        }
        rng.shuffle(&candidates)
        var used = Set<Int>()
        let slots: [(EmploymentPlan, Int, (Int) -> Bool)] = [
            (.openBefore2022(retention: true), 30, { $0 <= d(2021, 6, 1) }),
            (.replaced2022, 4, { $0 <= d(2021, 12, 1) }),
            (.endedPlaced2022, 5, { $0 <= d(2021, 12, 1) }),
            (.endedOld, 6, { $0 <= d(2021, 9, 1) }),
            (.open2022, 69, { $0 >= d(2021, 1, 1) && $0 <= d(2022, 10, 15) }),
            (.openBefore2022(retention: false), 374, { $0 <= d(2021, 10, 1) }),
            (.unemployed, 9, { _ in true }),
        ]
        for (plan, count, fits) in slots {
            var taken = 0
            for i in candidates where taken < count && !used.contains(i) {
                guard let span = people[i].spans.last, fits(span.first) else { continue }
                used.insert(i)
                people[i].employable = true
                people[i].employment = plan
                taken += 1
            }
            precondition(taken == count, "not enough participants for \(plan)")
        }
    }

    /// The day after `span` and whether it is the day of a compulsory isolation (nil: open).
    func spanEnd(_ p: Participant, _ span: (first: Int, last: Int, windows: [Int])) -> (day: Int, isolation: Bool)? {
        let w = p.activityWindows[span.windows[span.windows.count - 1]]
        let ep = p.episodes[w.episode]
        if w.underMeasure, ep.endsInIsolation, ep.measureEndDay == w.last + 1 { return (w.last + 1, true) }
        if let dereg = ep.deregDay, dereg == w.last + 1 { return (dereg, false) }
        return nil
    }

    /// Places a job (kind nil: a 2022 placement whose kind is drawn later) and returns its uid.
    @discardableResult
    mutating func place(_ p: Participant, index: Int, day: Int, kind: Int?, subsidyUntil: Int = Int.min) -> Int {
        let employer = rng.below(Vocabulary.employers.count)
        let k = kind ?? 0
        let uid = p.add(PlannedEvent(minute: LocalTime.minute(day: day, minuteOfDay: 600 + 5 * rng.below(60)),
                                     kind: .jobPlaced, code: k, text: employer, town: p.town(on: day)))
        if kind == nil {
            placements2022.append((index, uid))
        } else if k == 0, rng.chance(0.6), day + 30 <= min(subsidyUntil, HistoryBuilder.day(2021, 12, 20)) {
            p.add(PlannedEvent(minute: LocalTime.minute(day: day + 30, minuteOfDay: 600 + 5 * rng.below(60)),
                               kind: .subsidy, amount: 100_000 + 10_000 * rng.range(0, 10), text: employer,
                               town: p.town(on: day + 30)))
        }
        return uid
    }

    mutating func endJob(_ p: Participant, day: Int, isolation: Bool = false) {
        let minute = isolation ? 540 : 600 + 5 * rng.below(60)
        p.add(PlannedEvent(minute: LocalTime.minute(day: day, minuteOfDay: minute), kind: .jobEnded,
                           text: isolation ? 3 : rng.below(3), town: p.town(on: day)))
    }

    mutating func randomKind() -> Int {
        let r = rng.below(100)
        return r < 80 ? 0 : (r < 88 ? 1 : 2)
    }

    /// An optional job in an earlier span, ended by isolation, by the participant or by deregistration.
    mutating func oldJob(_ p: Participant, index: Int, span: (first: Int, last: Int, windows: [Int]), chance: Double) {
        let hi = min(span.last - 30, HistoryBuilder.day(2021, 12, 15))
        guard span.first + 20 <= hi, rng.chance(chance) else { return }
        let day = rng.range(span.first + 20, hi)
        place(p, index: index, day: day, kind: randomKind(), subsidyUntil: span.last)
        let end = spanEnd(p, span)
        if let end, end.isolation {
            endJob(p, day: end.day, isolation: true)
        } else if end == nil || rng.chance(0.5) {
            endJob(p, day: rng.range(day + 20, min(span.last, end == nil ? HistoryBuilder.day(2021, 12, 20) : span.last)))
        }
    }

    mutating func addJobs(_ p: Participant, index: Int) {
        let d = HistoryBuilder.day
        let spans = p.spans
        guard let lastSpan = spans.last else { return }
        let start = lastSpan.first
        switch p.employment {
        case .none:
            return
        case .history:
            for span in spans { oldJob(p, index: index, span: span, chance: 0.4) }
            return
        case .leaverPlacement2022:
            let day = rng.range(d(2022, 1, 10), d(2022, 5, 31))
            place(p, index: index, day: day, kind: nil)
            if rng.chance(0.34) { endJob(p, day: p.last.deregDay! - rng.range(5, 20)) }
            return
        default:
            break
        }
        for span in spans.dropLast() { oldJob(p, index: index, span: span, chance: 0.3) }
        switch p.employment {
        case .openBefore2022(let retention):
            var lo = start + 30, hi = d(2021, 12, 15)
            if p.cohort == .followUpPositive {
                lo = p.episodes[0].measureEndDay! + 30
                hi = p.positives[0].day - 10
            } else if retention {
                lo = max(lo, d(2021, 7, 10))
                hi = d(2021, 11, 20)
            }
            let day = rng.range(lo, hi)
            if !retention, day - start >= 200, rng.chance(0.3) {
                let earlier = rng.range(start + 30, day - 120)
                place(p, index: index, day: earlier, kind: randomKind(), subsidyUntil: day)
                endJob(p, day: rng.range(earlier + 30, day - 20))
            }
            let uid = place(p, index: index, day: day, kind: retention ? 0 : randomKind(), subsidyUntil: lastSpan.last)
            if retention { retentionPlacements.append((index, uid)) }
        case .open2022:
            if start + 30 <= d(2021, 9, 1), rng.chance(0.3) {
                let earlier = rng.range(start + 30, d(2021, 9, 1))
                place(p, index: index, day: earlier, kind: randomKind(), subsidyUntil: earlier + 100)
                endJob(p, day: rng.range(earlier + 30, d(2021, 12, 20)))
            }
            place(p, index: index, day: rng.range(max(start + 20, d(2022, 1, 5)), d(2022, 11, 20)), kind: nil)
        case .replaced2022:
            let first = rng.range(max(start + 20, d(2022, 1, 5)), d(2022, 4, 30))
            place(p, index: index, day: first, kind: nil)
            let ended = first + rng.range(60, 120)
            endJob(p, day: ended)
            place(p, index: index, day: rng.range(ended + 10, d(2022, 11, 20)), kind: nil)
        case .endedPlaced2022:
            let day = rng.range(max(start + 20, d(2022, 1, 5)), d(2022, 6, 30))
            place(p, index: index, day: day, kind: nil)
            endJob(p, day: rng.range(day + 30, d(2022, 12, 20)))
        case .endedOld:
            let day = rng.range(start + 30, d(2021, 10, 31))
            place(p, index: index, day: day, kind: randomKind(), subsidyUntil: lastSpan.last)
            endJob(p, day: rng.range(d(2022, 1, 10), d(2022, 12, 20)))
        case .unemployed:
            if start + 30 <= d(2021, 6, 30), rng.chance(0.5) {
                let day = rng.range(start + 30, d(2021, 6, 30))
                place(p, index: index, day: day, kind: randomKind(), subsidyUntil: lastSpan.last)
                endJob(p, day: rng.range(day + 30, d(2021, 12, 20)))
            }
        default:
            break
        }
    }
}
