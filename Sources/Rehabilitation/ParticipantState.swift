import EventLog
import LMDB

/// What the ledger knows of one participant after their events, in log order: the register
/// and measure states that decide which events are accepted, and the points balance. It is
/// the balance projection, kept in LMDB and updated in the same transaction as the events.
public struct ParticipantState: Equatable, Sendable {
    /// The points balance: the sum of every non-voided event's delta.
    public var balance: Int64 = 0
    /// On the register (在册): from `enrolled` until `deregistered`.
    public var registered = false
    /// Serving a measure: from `enrolled` until `measure_ended` or `deregistered`.
    public var underMeasure = false
    /// From `job_placed` until `job_ended` or `deregistered`.
    public var employed = false
    /// `at` of the latest `enrolled`.
    public var latestEnrolledAt: Int64?
    /// `at` of the latest `measure_ended` or `deregistered`.
    public var lastEndedAt: Int64?
    /// `at` of the current job's `job_placed`.
    public var jobPlacedAt: Int64?
    /// Non-voided check-ins per local calendar month, for the cap.
    public var checkIns = MonthlyCheckIns()
    /// What the city's figures and the alerts need of the participant's history.
    public var history = ParticipantHistory()

    public init() {}

    /// Where the participant reports now: the latest enrolment's town, or a later transfer's
    /// (in log order); nil before any enrolment.
    public var currentTown: String? { history.register.last { $0.town != nil }?.town }
    /// The program of the latest enrolment.
    public var currentProgram: Program? { currentEnrolment?.program }

    private var currentEnrolment: (program: Program, town: String)? {
        for change in history.register.reversed() {
            if case .enrolled(let program, let town, _) = change.change { return (program, town) }
        }
        return nil
    }

    /// Applies an accepted, non-voided event: state transitions and the points it earns
    /// under the rules whose `pricing` is given. Returns the delta and the number of the
    /// version that priced it (in `PointsRules.versions`, for audits), and with `comparing`,
    /// the delta the event would have earned under those rules instead (the state does not
    /// depend on the pricing: a check-in's place under the cap is counted the same).
    /// `towns` are the city's town ids in the city's order (a thread's own copy: `EventEffect`
    /// holds a town's place in that list).
    @discardableResult
    public mutating func apply(
        _ effect: EventEffect, seq: UInt64, at: Int64, pricing: RulesPricing, towns: [String], comparing: RulesPricing? = nil
    ) -> (delta: Int64, version: Int?, comparedDelta: Int64?) {
        var earlierCheckIns: Int32 = 0
        switch effect.type {
        case .enrolled:
            registered = true
            underMeasure = true
            latestEnrolledAt = at
        case .measureEnded:
            underMeasure = false
            lastEndedAt = at
        case .deregistered:
            registered = false
            underMeasure = false
            employed = false
            jobPlacedAt = nil
            lastEndedAt = at
        case .checkIn:
            let date = CityZone.localDate(ofUTC: at)
            earlierCheckIns = checkIns.increment(Int32(date.year * 12 + date.month - 1))
        case .jobPlaced:
            employed = true
            jobPlacedAt = at
        case .jobEnded:
            employed = false
            jobPlacedAt = nil
        case .testResult, .trainingAttended, .educationCompleted, .pointsAdjusted, .pointsRedeemed,
             .aidPaid, .employerSubsidyPaid, .insuranceEnrolled, .voided, .rulesAdopted, .accessGranted, .accessRevoked, .transferred:
            break
        }
        let (delta, pricedBy) = Self.delta(of: effect, at: at, earlierCheckIns: earlierCheckIns, pricing: pricing)
        balance += delta
        history.record(effect, seq: seq, at: at, delta: delta, towns: towns)
        return (delta, pricedBy, comparing.map { Self.delta(of: effect, at: at, earlierCheckIns: earlierCheckIns, pricing: $0).delta })
    }

    /// The points `effect` at `at` earns under `pricing`, and the version that priced it;
    /// `earlierCheckIns` are the check-ins already counted in its local month.
    private static func delta(of effect: EventEffect, at: Int64, earlierCheckIns: Int32, pricing: RulesPricing) -> (delta: Int64, version: Int?) {
        switch effect.type {
        case .checkIn:
            let pricedBy = pricing.version(at: at)
            if let version = pricedBy.map({ pricing.versions[$0] }), Int64(earlierCheckIns) < version.checkInMonthlyCap {
                return (version.checkIn, pricedBy)
            }
            return (0, pricedBy)
        case .testResult:
            let pricedBy = pricing.version(at: at)
            guard let version = pricedBy.map({ pricing.versions[$0] }) else { return (0, nil) }
            switch effect.choice(TestResult.self) {
            case .negative: return (version.testNegative, pricedBy)
            case .positive: return (version.testPositive, pricedBy)
            case .refused: return (version.testRefused, pricedBy)
            }
        case .trainingAttended:
            let pricedBy = pricing.version(at: at)
            return (pricedBy.map { pricing.versions[$0].trainingAttended } ?? 0, pricedBy)
        case .educationCompleted:
            let pricedBy = pricing.version(at: at)
            return (pricedBy.map { pricing.versions[$0].educationCompleted } ?? 0, pricedBy)
        case .jobPlaced:
            let pricedBy = pricing.version(at: at)
            return (pricedBy.map { pricing.versions[$0].jobPlaced } ?? 0, pricedBy)
        case .pointsAdjusted:
            return (effect.amount, nil)
        case .pointsRedeemed:
            return (-effect.amount, nil)
        case .enrolled, .measureEnded, .deregistered, .jobEnded, .aidPaid, .employerSubsidyPaid, .insuranceEnrolled, .voided,
             .rulesAdopted, .accessGranted, .accessRevoked, .transferred:
            return (0, nil)
        }
    }

    /// Why an event with `effect` at `at` cannot be accepted now, or nil. `now` bounds future dates.
    public func refusal(of effect: EventEffect, at: Int64, now: Int64) -> InputError? {
        func refuse(_ field: String?, _ code: RefusalCode, _ reason: String) -> InputError { InputError(field: field, code: code, reason: reason) }
        if at > now + 86_400_000 { return refuse("at", .atFuture, "is more than 24 hours in the future") }
        let precondition = effect.type.precondition
        if precondition == .unconditional { return nil }
        if let enrolledAt = latestEnrolledAt, at < enrolledAt {
            return refuse("at", .atBeforeEnrolment, "is earlier than the participant's latest enrolment (\(Timestamp.utcString(enrolledAt)))")
        }
        switch precondition {
        case .notUnderMeasure:
            if underMeasure {
                return refuse("participant", .alreadyUnderMeasure, "the participant is already under a measure; end it (measure_ended) before enrolling again")
            }
            if let endedAt = lastEndedAt, at < endedAt {
                return refuse("at", .atBeforeMeasureEnd, "is earlier than the participant's last measure end or deregistration (\(Timestamp.utcString(endedAt)))")
            }
            return nil
        case .underMeasure:
            return underMeasure ? nil : refuse("participant", .notUnderMeasure, "the participant is not under a measure")
        case .registered:
            guard registered else { return refuse("participant", .notRegistered, "the participant is not registered (enrol them first)") }
        case .unconditional:
            return nil
        }
        switch effect.type {
        case .pointsRedeemed:
            if balance < effect.amount {
                return refuse("data.points", .pointsInsufficient, "the balance is \(balance), less than the \(effect.amount) points redeemed")
            }
        case .jobPlaced:
            if employed { return refuse("participant", .alreadyEmployed, "the participant is already employed; record job_ended first") }
        case .jobEnded:
            guard employed else { return refuse("participant", .notEmployed, "the participant is not employed") }
            if let placedAt = jobPlacedAt, at < placedAt {
                return refuse("at", .atBeforePlacement, "is earlier than the job's placement (\(Timestamp.utcString(placedAt)))")
            }
        default:
            break
        }
        return nil
    }

    // MARK: Storage

    /// 4: register changes stored as the catalogue's type codes (3 used private tags).
    static let encodingVersion: UInt8 = 4

    /// The stored form (a projection: it can always be rebuilt from the log).
    var encoded: [UInt8] {
        var encoder = BinaryEncoder(capacity: 48 + checkIns.months.count * 4 + history.encodedSizeEstimate)
        encoder.append(byte: Self.encodingVersion)
        encoder.append(zigzag: balance)
        encoder.append(byte: (registered ? 1 : 0) | (underMeasure ? 2 : 0) | (employed ? 4 : 0)
            | (latestEnrolledAt != nil ? 8 : 0) | (lastEndedAt != nil ? 16 : 0) | (jobPlacedAt != nil ? 32 : 0))
        for instant in [latestEnrolledAt, lastEndedAt, jobPlacedAt] {
            if let instant { encoder.append(zigzag: instant) }
        }
        encoder.append(varint: UInt64(checkIns.months.count))
        for month in checkIns.months {
            encoder.append(zigzag: Int64(month.month))
            encoder.append(varint: UInt64(month.count))
        }
        history.encode(into: &encoder)
        var bytes = encoder.bytes
        StateSeal.seal(&bytes)
        return bytes
    }

    /// How much of a stored state to decode: reports need only parts of it.
    enum DecodingScope {
        case everything
        /// Everything but the monthly check-in counts (the cap is only needed to append).
        case history
        /// The register changes, contacts, refusals and positive tests.
        case alerts
    }

    init(decoding sealed: Span<UInt8>, scope: DecodingScope = .everything) throws(RecordDamage) {
        let bytes = sealed.extracting(0 ..< (try StateSeal.contentCount(sealed)))
        var decoder = BinaryDecoder()
        guard try decoder.byte(bytes) == Self.encodingVersion else { throw RecordDamage("unknown participant state version") }
        balance = try decoder.zigzag(bytes)
        let flags = try decoder.byte(bytes)
        registered = flags & 1 != 0
        underMeasure = flags & 2 != 0
        employed = flags & 4 != 0
        if flags & 8 != 0 { latestEnrolledAt = try decoder.zigzag(bytes) }
        if flags & 16 != 0 { lastEndedAt = try decoder.zigzag(bytes) }
        if flags & 32 != 0 { jobPlacedAt = try decoder.zigzag(bytes) }
        let months = try decoder.length(bytes)
        if scope == .everything { checkIns.reserveCapacity(months) }
        for _ in 0 ..< months {
            // What `encoded` writes: an Int32 month and a count of 0 … Int32.max (a negative
            // count would trap when the state is encoded again).
            guard let month = Int32(exactly: try decoder.zigzag(bytes)) else { throw RecordDamage("check-in month out of range") }
            guard let count = Int32(exactly: try decoder.varint(bytes)) else { throw RecordDamage("check-in count out of range") }
            if scope == .everything { checkIns.restore(month: month, count: count) }
        }
        history = try ParticipantHistory(decoding: bytes, decoder: &decoder, alertsOnly: scope == .alerts)
        if scope != .alerts, decoder.offset != bytes.count { throw RecordDamage("the stored state has bytes after its end") }
    }

    /// Reads just the balance from a stored state (after checking its seal), without
    /// decoding the rest.
    static func balance(decoding sealed: Span<UInt8>) throws(RecordDamage) -> Int64 {
        let bytes = sealed.extracting(0 ..< (try StateSeal.contentCount(sealed)))
        var decoder = BinaryDecoder()
        guard try decoder.byte(bytes) == encodingVersion else { throw RecordDamage("unknown participant state version") }
        return try decoder.zigzag(bytes)
    }
}
