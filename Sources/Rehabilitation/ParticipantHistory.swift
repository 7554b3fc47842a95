import EventLog
import LMDB

/// The part of a participant's non-voided history that the city's figures and the alerts
/// need, in log order and compactly: kept in the projection so that `stats` and `alerts`
/// read one value per participant instead of scanning the log.
public struct ParticipantHistory: Equatable, Sendable {
    /// A change of register or measure state.
    public struct RegisterChange: Equatable, Sendable {
        public enum Change: Equatable, Sendable {
            case enrolled(program: Program, town: String, employable: Bool)
            /// The participant's place of execution moved to `town` (a transfer between towns).
            case transferred(town: String)
            case measureEnded
            case deregistered
        }

        public let seq: UInt64
        public let at: Int64
        public let change: Change

        /// The town this change puts the participant in (an enrolment's or a transfer's).
        public var town: String? {
            switch change {
            case .enrolled(_, let town, _), .transferred(let town): town
            case .measureEnded, .deregistered: nil
            }
        }
    }

    /// A job placement (with its kind) or ending.
    public struct JobChange: Equatable, Sendable {
        public let seq: UInt64
        public let at: Int64
        /// nil for `job_ended`.
        public let placed: JobKind?
    }

    /// A payment: aid (with its kind) or an employer subsidy (kind nil).
    public struct Payment: Equatable, Sendable {
        public let at: Int64
        public let aid: AidKind?
        public let amountFen: Int64
    }

    /// An event that moved the balance.
    public struct PointsChange: Equatable, Sendable {
        public let at: Int64
        public let delta: Int64
        public let isRedemption: Bool
    }

    public internal(set) var register: [RegisterChange] = []
    /// `at` of every check-in and test result.
    public internal(set) var contacts: [Int64] = []
    public internal(set) var refusals: [Int64] = []
    public internal(set) var positives: [Int64] = []
    public internal(set) var jobs: [JobChange] = []
    public internal(set) var insurance: [Int64] = []
    public internal(set) var payments: [Payment] = []
    /// `at` and kind of every training attended.
    public internal(set) var training: [(at: Int64, kind: TrainingKind)] = []
    public internal(set) var points: [PointsChange] = []

    public init() {}

    /// The town the participant belonged to at `end`: their latest enrolment's town, or a
    /// later transfer's, on or before `end` (nil before any enrolment). The one rule every
    /// figure, alert and filter takes a participant's town by.
    public func town(through end: Int64) -> String? {
        register.last { $0.at <= end && $0.town != nil }?.town
    }

    /// Room for the entries `events` events can add to the two longest lists (contacts and
    /// points changes), so that replaying a known number of events does not grow them step by step.
    mutating func reserveCapacity(events: Int) {
        contacts.reserveCapacity(events)
        points.reserveCapacity(events)
    }

    /// Records a non-voided event with the delta it earned; `towns` are the city's town ids.
    mutating func record(_ effect: EventEffect, seq: UInt64, at: Int64, delta: Int64, towns: [String]) {
        switch effect.type {
        case .enrolled:
            register.append(RegisterChange(seq: seq, at: at, change: .enrolled(
                program: effect.choice(Program.self), town: towns[Int(effect.town)], employable: effect.flag)))
        case .transferred:
            register.append(RegisterChange(seq: seq, at: at, change: .transferred(town: towns[Int(effect.town)])))
        case .measureEnded:
            register.append(RegisterChange(seq: seq, at: at, change: .measureEnded))
        case .deregistered:
            register.append(RegisterChange(seq: seq, at: at, change: .deregistered))
        case .checkIn:
            contacts.append(at)
        case .testResult:
            contacts.append(at)
            switch effect.choice(TestResult.self) {
            case .refused: refusals.append(at)
            case .positive: positives.append(at)
            case .negative: break
            }
        case .jobPlaced:
            jobs.append(JobChange(seq: seq, at: at, placed: effect.choice(JobKind.self)))
        case .jobEnded:
            jobs.append(JobChange(seq: seq, at: at, placed: nil))
        case .insuranceEnrolled:
            insurance.append(at)
        case .aidPaid:
            payments.append(Payment(at: at, aid: effect.choice(AidKind.self), amountFen: effect.amount))
        case .employerSubsidyPaid:
            payments.append(Payment(at: at, aid: nil, amountFen: effect.amount))
        case .trainingAttended:
            training.append((at, effect.choice(TrainingKind.self)))
        case .educationCompleted, .pointsAdjusted, .pointsRedeemed, .voided, .rulesAdopted, .accessGranted, .accessRevoked:
            break
        }
        if delta != 0 {
            points.append(PointsChange(at: at, delta: delta, isRedemption: effect.type == .pointsRedeemed))
        }
    }

    public static func == (lhs: ParticipantHistory, rhs: ParticipantHistory) -> Bool {
        lhs.register == rhs.register && lhs.contacts == rhs.contacts && lhs.refusals == rhs.refusals
            && lhs.positives == rhs.positives && lhs.jobs == rhs.jobs && lhs.insurance == rhs.insurance
            && lhs.payments == rhs.payments && lhs.points == rhs.points
            && lhs.training.elementsEqual(rhs.training) { $0.at == $1.at && $0.kind == $1.kind }
    }

    // MARK: Storage

    /// About how many bytes `encode` writes (instants take 3–4 bytes as differences), so the
    /// encoder is sized once instead of growing through several copies.
    var encodedSizeEstimate: Int {
        16 + register.count * 16 + (contacts.count + refusals.count + positives.count + insurance.count) * 4
            + jobs.count * 12 + payments.count * 12 + training.count * 6 + points.count * 8
    }

    /// The code stored for "none" where a choice is optional (a job's end, an employer's subsidy).
    private static let noChoice: UInt8 = 255

    /// A register change is stored as its event type's code (the catalogue's); an enrolment
    /// then packs its program's code with the `employable` flag in bit 1 (so program codes
    /// must stay below 2: the catalogue test holds it).
    private static let employableBit: UInt8 = 2

    func encode(into encoder: inout BinaryEncoder) {
        encoder.append(varint: UInt64(register.count))
        for entry in register {
            encoder.append(varint: entry.seq)
            encoder.append(zigzag: entry.at)
            switch entry.change {
            case .enrolled(let program, let town, let employable):
                encoder.append(byte: EventType.enrolled.rawValue)
                encoder.append(byte: program.rawValue | (employable ? Self.employableBit : 0))
                encoder.append(string: town)
            case .transferred(let town):
                encoder.append(byte: EventType.transferred.rawValue)
                encoder.append(string: town)
            case .measureEnded: encoder.append(byte: EventType.measureEnded.rawValue)
            case .deregistered: encoder.append(byte: EventType.deregistered.rawValue)
            }
        }
        Self.encode(instants: contacts, into: &encoder)
        Self.encode(instants: refusals, into: &encoder)
        Self.encode(instants: positives, into: &encoder)
        encoder.append(varint: UInt64(jobs.count))
        for job in jobs {
            encoder.append(varint: job.seq)
            encoder.append(zigzag: job.at)
            encoder.append(byte: job.placed?.rawValue ?? Self.noChoice)
        }
        Self.encode(instants: insurance, into: &encoder)
        encoder.append(varint: UInt64(payments.count))
        for payment in payments {
            encoder.append(zigzag: payment.at)
            encoder.append(byte: payment.aid?.rawValue ?? Self.noChoice)
            encoder.append(zigzag: payment.amountFen)
        }
        encoder.append(varint: UInt64(training.count))
        for entry in training {
            encoder.append(zigzag: entry.at)
            encoder.append(byte: entry.kind.rawValue)
        }
        encoder.append(varint: UInt64(points.count))
        for change in points {
            encoder.append(zigzag: change.at)
            encoder.append(zigzag: change.delta)
            encoder.append(byte: change.isRedemption ? 1 : 0)
        }
    }

    /// Decodes what `encode` wrote; with `alertsOnly`, stops after the parts alerts need.
    init(decoding bytes: Span<UInt8>, decoder: inout BinaryDecoder, alertsOnly: Bool = false) throws(RecordDamage) {
        let registerCount = try decoder.length(bytes)
        register.reserveCapacity(registerCount)
        for _ in 0 ..< registerCount {
            let seq = try decoder.varint(bytes)
            let at = try decoder.zigzag(bytes)
            let tag = try decoder.byte(bytes)
            let change: RegisterChange.Change
            switch EventType(rawValue: tag) {
            case .enrolled?:
                let packed = try decoder.byte(bytes)
                guard packed & ~(Self.employableBit | 1) == 0, let program = Program(code: packed & ~Self.employableBit) else {
                    throw RecordDamage("unknown program code \(packed)")
                }
                change = .enrolled(program: program, town: try decoder.string(bytes), employable: packed & Self.employableBit != 0)
            case .transferred?: change = .transferred(town: try decoder.string(bytes))
            case .measureEnded?: change = .measureEnded
            case .deregistered?: change = .deregistered
            default: throw RecordDamage("unknown register change \(tag)")
            }
            register.append(RegisterChange(seq: seq, at: at, change: change))
        }
        contacts = try Self.decodeInstants(bytes, &decoder)
        refusals = try Self.decodeInstants(bytes, &decoder)
        positives = try Self.decodeInstants(bytes, &decoder)
        if alertsOnly { return }
        let jobCount = try decoder.length(bytes)
        for _ in 0 ..< jobCount {
            let seq = try decoder.varint(bytes)
            let at = try decoder.zigzag(bytes)
            jobs.append(JobChange(seq: seq, at: at, placed: try Self.optionalChoice(JobKind.self, decoder.byte(bytes))))
        }
        insurance = try Self.decodeInstants(bytes, &decoder)
        let paymentCount = try decoder.length(bytes)
        for _ in 0 ..< paymentCount {
            let at = try decoder.zigzag(bytes)
            let aid = try Self.optionalChoice(AidKind.self, decoder.byte(bytes))
            payments.append(Payment(at: at, aid: aid, amountFen: try decoder.zigzag(bytes)))
        }
        let trainingCount = try decoder.length(bytes)
        for _ in 0 ..< trainingCount {
            let at = try decoder.zigzag(bytes)
            let code = try decoder.byte(bytes)
            guard let kind = TrainingKind(code: code) else { throw RecordDamage("unknown training code \(code)") }
            training.append((at, kind))
        }
        let pointsCount = try decoder.length(bytes)
        for _ in 0 ..< pointsCount {
            let at = try decoder.zigzag(bytes)
            let delta = try decoder.zigzag(bytes)
            points.append(PointsChange(at: at, delta: delta, isRedemption: try decoder.byte(bytes) == 1))
        }
    }

    /// A stored choice code, or nil for `noChoice`; any other code is damage.
    private static func optionalChoice<Choice: CatalogueChoice>(_: Choice.Type, _ code: UInt8) throws(RecordDamage) -> Choice? {
        if code == noChoice { return nil }
        guard let choice = Choice(code: code) else { throw RecordDamage("unknown \(Choice.self) code \(code)") }
        return choice
    }

    /// Instants as a count and zigzag differences from the previous one (mostly small).
    private static func encode(instants: [Int64], into encoder: inout BinaryEncoder) {
        encoder.append(varint: UInt64(instants.count))
        var previous: Int64 = 0
        for instant in instants {
            encoder.append(zigzag: instant &- previous)
            previous = instant
        }
    }

    private static func decodeInstants(_ bytes: Span<UInt8>, _ decoder: inout BinaryDecoder) throws(RecordDamage) -> [Int64] {
        let count = try decoder.length(bytes)
        var instants: [Int64] = []
        instants.reserveCapacity(count)
        var previous: Int64 = 0
        for _ in 0 ..< count {
            previous = previous &+ (try decoder.zigzag(bytes))
            instants.append(previous)
        }
        return instants
    }
}
