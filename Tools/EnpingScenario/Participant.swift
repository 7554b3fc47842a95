/// One participant's planned history: the episode skeleton, the flags the design gives them,
/// and the events placed so far. Events are only ever placed where the ledger accepts them.
final class Participant {
    let cohort: Cohort
    let role: Role
    /// Position in the design order (stable across runs); `number` is assigned later by date.
    let ordinal: Int
    var number = 0
    var worker: Int
    var episodes: [Episode] = []
    var employable = false
    var employment = EmploymentPlan.none
    /// Planned positive tests: day, minute of day, and whether (after how many days) voided.
    var positives: [(day: Int, minuteOfDay: Int, voidAfter: Int?)] = []
    /// Contact stops from this day (a lost-contact alert).
    var lostContactFrom: Int?
    /// Tests from this day on are refused, three times.
    var refusalsFrom: Int?
    var events: [PlannedEvent] = []
    private(set) var windows: [ActivityWindow] = []

    init(cohort: Cohort, role: Role, ordinal: Int, worker: Int) {
        self.cohort = cohort
        self.role = role
        self.ordinal = ordinal
        self.worker = worker
    }

    /// `P-000123`.
    var id: String {
        let digits = String(number)
        return "P-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    var firstEnrolMinute: Int { episodes[0].enrolMinute }
    var last: Episode { episodes[episodes.count - 1] }
    /// On the register on 2022-12-31.
    var registeredAtEnd: Bool { last.deregDay == nil }
    /// On the register but in a compulsory-isolation centre on 2022-12-31.
    var isolatedAtEnd: Bool { registeredAtEnd && last.endsInIsolation }

    /// Appends an event and returns its uid (for voids).
    @discardableResult
    func add(_ event: PlannedEvent) -> Int {
        var e = event
        e.uid = events.count
        if e.worker == 0 { e.worker = worker }
        events.append(e)
        return e.uid
    }

    /// Derives the activity windows from the episodes (call once the episodes are final).
    func computeWindows() {
        windows = []
        for (i, ep) in episodes.enumerated() {
            let next = i + 1 < episodes.count ? episodes[i + 1].enrolDay : nil
            let measureStop = ep.measureEndDay ?? ep.deregDay ?? next ?? (LocalTime.lastDay + 1)
            let continues = i > 0 && episodes[i - 1].deregDay == nil && !episodes[i - 1].endsInIsolation
            windows.append(ActivityWindow(first: ep.enrolDay + 1, last: measureStop - 1, underMeasure: true,
                                          measureStart: ep.enrolDay, episode: i, town: ep.town,
                                          continuesPrevious: continues))
            if let end = ep.measureEndDay, ep.measureEndReason == 0, ep.deregDay.map({ $0 > end }) ?? true {
                let stop = ep.deregDay ?? next ?? (LocalTime.lastDay + 1)
                windows.append(ActivityWindow(first: end + 1, last: stop - 1, underMeasure: false,
                                              measureStart: ep.enrolDay, episode: i, town: ep.town,
                                              continuesPrevious: true))
            }
        }
        windows.removeAll { $0.length == 0 && !$0.underMeasure }
    }

    var activityWindows: [ActivityWindow] { windows }

    /// Windows grouped into spans of uninterrupted registration outside isolation (a job can
    /// run across a span; isolation and deregistration end it).
    var spans: [(first: Int, last: Int, windows: [Int])] {
        var result: [(first: Int, last: Int, windows: [Int])] = []
        for (i, w) in windows.enumerated() {
            if w.continuesPrevious, let prev = result.last, prev.last + 1 >= w.first - 1 {
                result[result.count - 1].last = w.last
                result[result.count - 1].windows.append(i)
            } else {
                result.append((w.first, w.last, [i]))
            }
        }
        return result
    }

    /// Days of the windows inside `from...to`, as inclusive ranges with their town.
    func days(from: Int, to: Int) -> [(first: Int, last: Int, town: Int)] {
        var out: [(first: Int, last: Int, town: Int)] = []
        for w in windows {
            let lo = max(w.first, from), hi = min(w.last, to)
            if lo <= hi { out.append((lo, hi, w.town)) }
        }
        return out
    }

    /// The town of the window containing `day` (the current enrolment's town).
    func town(on day: Int) -> Int {
        for w in windows where w.first <= day && day <= w.last { return w.town }
        var town = episodes[0].town
        for ep in episodes where ep.enrolDay <= day { town = ep.town }
        return town
    }
}
