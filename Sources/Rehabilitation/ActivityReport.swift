import EventLog

/// The local dates a work report covers: a month, a quarter (季评比) or a year (年评议).
public struct ActivityPeriod: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case month, quarter, year
    }

    public let kind: Kind
    /// The first and the last local date (Asia/Shanghai) of the period.
    public let from: CivilDate
    public let to: CivilDate

    /// The years a period may fall in (as `stats --year`).
    public static let years = 2 ... 9998

    /// `YYYY-MM` (month 01–12).
    public init?(month text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Self.digits(parts[0]),
              let month = Self.digits(parts[1]), (1 ... 12).contains(month) else { return nil }
        self.init(kind: .month, year: year, firstMonth: month, months: 1)
    }

    /// `YYYY-Qn` (n 1–4; `q` accepted too).
    public init?(quarter text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Self.digits(parts[0]), parts[1].count == 2,
              parts[1].first == "Q" || parts[1].first == "q", let quarter = Self.digits(parts[1].dropFirst()),
              (1 ... 4).contains(quarter) else { return nil }
        self.init(kind: .quarter, year: year, firstMonth: 3 * quarter - 2, months: 3)
    }

    /// `YYYY`.
    public init?(year text: String) {
        guard text.count == 4, let year = Self.digits(Substring(text)) else { return nil }
        self.init(kind: .year, year: year, firstMonth: 1, months: 12)
    }

    private init?(kind: Kind, year: Int, firstMonth: Int, months: Int) {
        guard Self.years.contains(year), let from = CivilDate(year: year, month: firstMonth, day: 1) else { return nil }
        let nextMonth = firstMonth + months
        guard let next = nextMonth > 12 ? CivilDate(year: year + 1, month: 1, day: 1) : CivilDate(year: year, month: nextMonth, day: 1) else {
            return nil
        }
        self.kind = kind
        self.from = from
        self.to = next.adding(days: -1)
    }

    private static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// How the period is written on the command line: `2022-12`, `2022-Q4`, `2022`.
    public var name: String {
        let year = String(from.year)
        switch kind {
        case .month: return year + "-" + (from.month < 10 ? "0" : "") + String(from.month)
        case .quarter: return year + "-Q" + String((from.month - 1) / 3 + 1)
        case .year: return year
        }
    }
}

/// What one actor (or a town, or the city) recorded in a period: the non-voided participant
/// events dated in it, by type, the distinct participants contacted, and the voids recorded.
public struct ActivityCounts: Sendable, Equatable {
    /// The event types counted on their own, in the report's order (docs/statistics.md);
    /// every other participant type but `voided` counts in `other`.
    public static let countedTypes: [EventType] = [
        .checkIn, .testResult, .trainingAttended, .educationCompleted, .pointsAdjusted, .pointsRedeemed, .aidPaid, .jobPlaced,
    ]

    /// Non-voided events by type code (`EventType.rawValue`); `voided` events under their own code.
    private var byType = [Int](repeating: 0, count: Int(EventType.allCases.map(\.rawValue).max()!) + 1)
    /// Non-voided `test_result` events by result code.
    private var byResult = [Int](repeating: 0, count: Int(TestResult.allCases.map(\.rawValue).max()!) + 1)
    /// Distinct participants with a non-voided `check_in` or `test_result` (not a sum of the
    /// rows below: a participant met by two workers is one person for the town).
    public internal(set) var contacted = 0

    public init() {}

    public func count(_ type: EventType) -> Int { byType[Int(type.rawValue)] }
    public func count(_ result: TestResult) -> Int { byResult[Int(result.rawValue)] }
    /// The `voided` events recorded.
    public var voids: Int { count(.voided) }
    /// The other non-voided participant events (enrolments, transfers, measure ends, …).
    public var other: Int {
        EventType.allCases.filter { !$0.definition.isSystem && $0 != .voided && !Self.countedTypes.contains($0) }
            .reduce(0) { $0 + count($1) }
    }

    /// Counts one event (`step` 1) or takes one back (−1).
    mutating func add(_ type: EventType, result: TestResult?, by step: Int = 1) {
        byType[Int(type.rawValue)] += step
        if let result { byResult[Int(result.rawValue)] += step }
    }

    /// Adds the event counts (not `contacted`, which is distinct per scope).
    mutating func addEvents(_ other: ActivityCounts) {
        for index in byType.indices { byType[index] += other.byType[index] }
        for index in byResult.indices { byResult[index] += other.byResult[index] }
    }

    mutating func add(_ other: ActivityCounts) {
        addEvents(other)
        contacted += other.contacted
    }
}

/// One town's part of the work report.
public struct ActivityTown: Sendable {
    public let town: Town
    /// Participants of the town (on the period's last day) under a measure that day.
    public let underMeasure: Int
    /// How many of them have a `contact` alert of any level that day.
    public let contactAlerts: Int
    /// The town's events (the sum of its actors') and its distinct contacted participants.
    public let totals: ActivityCounts
    /// Per actor, sorted by the actor's bytes; only actors who recorded something.
    public let actors: [(actor: String, counts: ActivityCounts)]
}

/// `recovery activity`: per town and per actor, what was recorded in a period (docs/statistics.md).
public struct ActivityReport: Sendable {
    public let period: ActivityPeriod
    /// The ledger's head when the report was made.
    public let headSeq: UInt64
    public let underMeasure: Int
    public let contactAlerts: Int
    /// The whole city: every town's events, plus those of participants with no town at the
    /// event's `at` (only a void of a participant's only enrolment can be one).
    public let city: ActivityCounts
    /// Every town of the city in its order (narrowed to one by `town:`), empty ones included.
    public let towns: [ActivityTown]
}
