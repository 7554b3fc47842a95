/// Puts a participant's events in log order and replays their points exactly as the ledger
/// does under the built-in rules (docs/rules.md: one version effective 2021-01-01; check-in 2
/// for at most 4 per local month, tests +3/−20/−10, training 3, study 1, placement 10), so
/// that a rice or cooking-oil redemption is written only when the balance covers it.
enum PointsReplay {
    static let effectiveFrom = LocalTime.minute(day: LocalTime.day(2021, 1, 1), minuteOfDay: 0)
    static let checkIn = 2, monthlyCap = 4
    static let testDeltas = [3, -20, -10]
    static let training = 3, education = 1, jobPlaced = 10

    /// Sorts `p.events` into log order and inserts the redemptions (and one voided redemption
    /// every 700 participants).
    static func finish(_ p: Participant, rng: inout SplitMix64) {
        var events = p.events
        events.sort { ($0.minute, $0.kind.rank, $0.uid) < ($1.minute, $1.kind.rank, $1.uid) }
        var out: [PlannedEvent] = []
        out.reserveCapacity(events.count + 16)
        var delta = [Int](repeating: 0, count: events.count)
        var kinds = events.map(\.kind)
        var days = events.map(\.day)
        for e in events { kinds[e.uid] = e.kind; days[e.uid] = e.day }
        var perMonth = [Int](repeating: 0, count: 12 * 8)
        var balance = 0
        var pending: PlannedEvent?
        var voidRedemption = p.number % 700 == 1

        func flush() {
            guard let r = pending else { return }
            pending = nil
            guard balance >= r.amount else { return }
            var redemption = r
            redemption.uid = delta.count
            delta.append(-r.amount)
            kinds.append(.pointsRedeemed)
            days.append(r.day)
            balance -= r.amount
            out.append(redemption)
            if voidRedemption {
                voidRedemption = false
                out.append(PlannedEvent(minute: r.minute + 1, kind: .voided, text: 1, town: r.town,
                                        uid: delta.count, target: redemption.uid))
                delta.append(0)
                kinds.append(.voided)
                days.append(r.day)
                balance += r.amount
                delta[redemption.uid] = 0
            }
        }

        for e in events {
            if let r = pending, e.minute > r.minute { flush() }
            let priced = e.minute >= effectiveFrom
            var d = 0
            switch e.kind {
            case .checkIn:
                let month = LocalTime.monthIndex(e.day)
                let earlier = perMonth[month]
                perMonth[month] += 1
                d = priced && earlier < monthlyCap ? checkIn : 0
            case .testResult: d = priced ? testDeltas[e.code] : 0
            case .training: d = priced ? training : 0
            case .education: d = priced ? education : 0
            case .jobPlaced: d = priced ? jobPlaced : 0
            case .pointsAdjusted: d = e.amount
            case .pointsRedeemed: d = -e.amount
            case .voided:
                balance -= delta[e.target]
                delta[e.target] = 0
                if kinds[e.target] == .checkIn { perMonth[LocalTime.monthIndex(days[e.target])] -= 1 }
            default: break
            }
            balance += d
            delta[e.uid] = d
            out.append(e)
            if e.kind == .checkIn, e.code != 2, priced, pending == nil, rng.chance(0.15) {
                var item = -1
                if balance >= Vocabulary.itemPoints[1], rng.chance(0.5) {
                    item = 1
                } else if balance >= Vocabulary.itemPoints[0] {
                    item = 0
                }
                if item >= 0 {
                    pending = PlannedEvent(minute: e.minute + 2, kind: .pointsRedeemed,
                                           amount: Vocabulary.itemPoints[item], text: item, town: e.town)
                }
            }
        }
        flush()
        p.events = out
    }
}
