/// The 2022 counts the city published, placed by construction: 1,664 vocational and 1,995
/// agricultural training person-times, 50 subsistence and 154 temporary aid recipients with
/// 40,000,000 fen in all, the 74/4/7 split of the 85 placements, and 104 employer subsidies
/// of 200,000 fen (20,800,000). Each also gets a voided extra that must count nowhere.
extension HistoryBuilder {
    /// Target figures of Enping's 2022 report.
    static let vocational2022 = 1664
    static let agricultural2022 = 1995
    static let subsistenceRecipients2022 = 50
    static let temporaryRecipients2022 = 154
    static let aidTotalFen2022 = 40_000_000
    static let placementKinds2022 = [74, 4, 7]
    static let subsidyFen2022 = 200_000

    mutating func allocate2022() {
        let d = HistoryBuilder.day
        let jan1 = d(2022, 1, 1), end = LocalTime.lastDay
        let ranges: [[(first: Int, last: Int, town: Int)]] = people.map {
            $0.role == .lostContact ? [] : $0.days(from: jan1, to: end)
        }
        let lengths = ranges.map { $0.reduce(0) { $0 + ($1.last - $1.first + 1) } }

        func add(_ i: Int, _ day: Int, _ town: Int, _ event: PlannedEvent) -> Int {
            var e = event
            e.minute = LocalTime.minute(day: day, minuteOfDay: workMinute())
            e.town = town
            return people[i].add(e)
        }
        func void(_ i: Int, _ uid: Int, after days: Int, reason: Int) {
            let target = people[i].events[uid]
            people[i].add(PlannedEvent(minute: target.minute + days * 1440 + 5, kind: .voided, text: reason,
                                       town: target.town, target: uid))
        }

        // Training, weighted by the days a participant was reachable in 2022.
        let eligible = people.indices.filter { lengths[$0] >= 5 }
        var cumulative: [Int] = []
        var total = 0
        for i in eligible { total += lengths[i]; cumulative.append(total) }
        var kinds = [Int](repeating: 0, count: HistoryBuilder.vocational2022)
            + [Int](repeating: 1, count: HistoryBuilder.agricultural2022)
        rng.shuffle(&kinds)
        for kind in kinds {
            let k = rng.below(total)
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > k { hi = mid } else { lo = mid + 1 }
            }
            let i = eligible[lo]
            let pick = randomDay(in: ranges[i])!
            _ = add(i, pick.day, pick.town, PlannedEvent(minute: 0, kind: .training, code: kind))
        }
        for kind in 0 ... 1 {
            let i = eligible[rng.below(eligible.count)]
            guard let pick = randomDay(in: ranges[i].filter { $0.first <= end - 12 }.map { ($0.first, min($0.last, end - 12), $0.town) })
            else { continue }
            let uid = add(i, pick.day, pick.town, PlannedEvent(minute: 0, kind: .training, code: kind))
            void(i, uid, after: rng.range(1, 10), reason: 1)
        }

        // Subsistence aid: monthly, to 50 people (one of whom leaves the register in autumn).
        var pool = eligible.filter { lengths[$0] >= 150 && people[$0].cohort != .leaving2022 }
        rng.shuffle(&pool)
        let leaver = eligible.first { people[$0].cohort == .leaving2022 && people[$0].role == .plain && lengths[$0] >= 150 }!
        let subsistence = [leaver] + pool.prefix(HistoryBuilder.subsistenceRecipients2022 - 1)
        var aidTotal = 0
        var firstPayment: (person: Int, uid: Int)?
        for i in subsistence {
            let amount = 1000 * rng.range(30, 60)
            let earlier = people[i].days(from: d(2021, 1, 1), to: d(2021, 12, 31))
            for year in 2021 ... 2022 {
                for month in 1 ... 12 {
                    let day = d(year, month, rng.range(8, 12))
                    let inside = (year == 2022 ? ranges[i] : earlier).first { $0.first <= day && day <= $0.last }
                    guard let r = inside else { continue }
                    let uid = add(i, day, r.town, PlannedEvent(minute: 0, kind: .aidPaid, code: 0, amount: amount))
                    if year == 2022 {
                        aidTotal += amount
                        if firstPayment == nil { firstPayment = (i, uid) }
                    }
                }
            }
        }
        precondition(aidTotal > 0)
        if let (i, uid) = firstPayment {
            // A payment keyed in twice; the duplicate is voided.
            let original = people[i].events[uid]
            var copy = original
            copy.minute += 1440
            let dup = people[i].add(copy)
            void(i, dup, after: 1, reason: 2)
        }

        // Temporary aid: 154 people, 16 of them paid twice, adding up to the published total.
        var temporaryPool = eligible
        rng.shuffle(&temporaryPool)
        let temporary = Array(temporaryPool.prefix(HistoryBuilder.temporaryRecipients2022))
        var payees = temporary + temporary.prefix(16)
        var amounts = payees.map { _ in 1000 * rng.range(30, 150) }
        let diff = HistoryBuilder.aidTotalFen2022 - aidTotal - amounts.reduce(0, +)
        precondition(diff % 1000 == 0)
        let steps = diff / 1000, per = steps / amounts.count, rest = steps - per * amounts.count
        for j in amounts.indices { amounts[j] += 1000 * per }
        for j in 0 ..< abs(rest) { amounts[j] += rest > 0 ? 1000 : -1000 }
        precondition(amounts.allSatisfy { $0 >= 1000 }, "temporary aid amounts out of range")
        for (j, i) in payees.enumerated() {
            let pick = randomDay(in: ranges[i])!
            _ = add(i, pick.day, pick.town, PlannedEvent(minute: 0, kind: .aidPaid, code: 1, amount: amounts[j]))
        }
        // One more temporary payment, to someone paid nothing else that year, voided: it must
        // not make them a recipient.
        let outsider = temporaryPool[HistoryBuilder.temporaryRecipients2022]
        if let pick = randomDay(in: ranges[outsider].filter { $0.first <= end - 5 }.map { ($0.first, min($0.last, end - 5), $0.town) }) {
            let uid = add(outsider, pick.day, pick.town, PlannedEvent(minute: 0, kind: .aidPaid, code: 1, amount: 80_000))
            void(outsider, uid, after: rng.range(1, 4), reason: 3)
        }
        payees.removeAll()

        // Placement kinds and the hiring subsidies of enterprise placements.
        var jobKinds: [Int] = []
        for (kind, count) in HistoryBuilder.placementKinds2022.enumerated() {
            jobKinds += [Int](repeating: kind, count: count)
        }
        precondition(placements2022.count == jobKinds.count, "\(placements2022.count) placements in 2022")
        rng.shuffle(&jobKinds)
        var subsidies = 0
        var voidedSubsidy = false
        for (j, (i, uid)) in placements2022.enumerated() {
            let p = people[i]
            p.events[uid].code = jobKinds[j]
            guard jobKinds[j] == 0 else { continue }
            let placed = p.events[uid]
            let day = placed.day + rng.range(20, 40)
            precondition(day <= end && p.last.deregDay.map { day < $0 } ?? true)
            _ = add(i, day, p.town(on: day), PlannedEvent(minute: 0, kind: .subsidy,
                                                          amount: HistoryBuilder.subsidyFen2022, text: placed.text))
            subsidies += 1
            if !voidedSubsidy, p.registeredAtEnd, day + 10 <= end {
                voidedSubsidy = true
                let uid = add(i, day + 5, p.town(on: day + 5), PlannedEvent(minute: 0, kind: .subsidy,
                                                                           amount: HistoryBuilder.subsidyFen2022, text: placed.text))
                void(i, uid, after: 2, reason: 2)
            }
        }
        precondition(retentionPlacements.count == 30)
        for (i, uid) in retentionPlacements {
            let placed = people[i].events[uid]
            let day = placed.day + 182
            precondition(day >= jan1 && day <= end)
            _ = add(i, day, people[i].town(on: day), PlannedEvent(minute: 0, kind: .subsidy,
                                                                  amount: HistoryBuilder.subsidyFen2022, text: placed.text))
            subsidies += 1
        }
        precondition(subsidies * HistoryBuilder.subsidyFen2022 == 20_800_000, "\(subsidies) subsidies in 2022")
    }

    /// A few more voids: a check-in, a point adjustment and a refused test, recorded in error.
    mutating func addScatteredVoids() {
        let jan1 = HistoryBuilder.day(2022, 1, 1), end = LocalTime.lastDay
        var needCheckIn = true, needAdjustment = true, needRefusal = true
        for p in people where p.registeredAtEnd && p.role == .plain {
            var perMonth: [Int: Int] = [:]
            for e in p.events where e.kind == .checkIn { perMonth[LocalTime.monthIndex(e.day), default: 0] += 1 }
            for e in p.events where e.day >= jan1 && e.day + 3 <= end {
                let take: Bool
                switch e.kind {
                case .checkIn: take = needCheckIn && perMonth[LocalTime.monthIndex(e.day)]! <= 3 && p.cohort == .doneEarly
                case .pointsAdjusted: take = needAdjustment
                case .testResult: take = needRefusal && e.code == 2
                default: take = false
                }
                guard take else { continue }
                switch e.kind {
                case .checkIn: needCheckIn = false
                case .pointsAdjusted: needAdjustment = false
                default: needRefusal = false
                }
                p.add(PlannedEvent(minute: e.minute + 1440 + 5, kind: .voided, text: 1, town: e.town, target: e.uid))
                break
            }
            if !needCheckIn && !needAdjustment && !needRefusal { break }
        }
    }
}
