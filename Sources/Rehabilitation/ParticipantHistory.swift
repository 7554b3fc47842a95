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
            case measureEnded
            case deregistered
        }

        public let seq: UInt64
        public let at: Int64
        public let change: Change
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

    /// Room for the entries `events` events can add to the two longest lists (contacts and
    /// points changes), so that replaying a known number of events does not grow them step by step.
    mutating func reserveCapacity(events: Int) {
        contacts.reserveCapacity(events)
        points.reserveCapacity(events)
    }

    /// Records a non-voided event with the delta it earned.
    mutating func record(_ effect: EventEffect, seq: UInt64, at: Int64, delta: Int64) {
        switch effect {
        case .enrolled(let program, let town, let employable):
            register.append(RegisterChange(seq: seq, at: at, change: .enrolled(program: program, town: town, employable: employable)))
        case .measureEnded:
            register.append(RegisterChange(seq: seq, at: at, change: .measureEnded))
        case .deregistered:
            register.append(RegisterChange(seq: seq, at: at, change: .deregistered))
        case .checkIn:
            contacts.append(at)
        case .testResult(let result):
            contacts.append(at)
            if result == .refused { refusals.append(at) }
            if result == .positive { positives.append(at) }
        case .jobPlaced(let job):
            jobs.append(JobChange(seq: seq, at: at, placed: job))
        case .jobEnded:
            jobs.append(JobChange(seq: seq, at: at, placed: nil))
        case .insuranceEnrolled:
            insurance.append(at)
        case .aidPaid(let aid, let amount):
            payments.append(Payment(at: at, aid: aid, amountFen: amount))
        case .employerSubsidyPaid(let amount):
            payments.append(Payment(at: at, aid: nil, amountFen: amount))
        case .trainingAttended(let training):
            self.training.append((at, training))
        case .educationCompleted, .pointsAdjusted, .pointsRedeemed, .voided:
            break
        }
        if delta != 0 {
            var isRedemption = false
            if case .pointsRedeemed = effect { isRedemption = true }
            points.append(PointsChange(at: at, delta: delta, isRedemption: isRedemption))
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

    func encode(into encoder: inout BinaryEncoder) {
        encoder.append(varint: UInt64(register.count))
        for entry in register {
            encoder.append(varint: entry.seq)
            encoder.append(zigzag: entry.at)
            switch entry.change {
            case .enrolled(let program, let town, let employable):
                encoder.append(byte: (program == .communityDetox ? 0 : 1) | (employable ? 2 : 0))
                encoder.append(string: town)
            case .measureEnded: encoder.append(byte: 4)
            case .deregistered: encoder.append(byte: 5)
            }
        }
        Self.encode(instants: contacts, into: &encoder)
        Self.encode(instants: refusals, into: &encoder)
        Self.encode(instants: positives, into: &encoder)
        encoder.append(varint: UInt64(jobs.count))
        for job in jobs {
            encoder.append(varint: job.seq)
            encoder.append(zigzag: job.at)
            encoder.append(byte: job.placed.map { UInt8(JobKind.allCases.firstIndex(of: $0)!) } ?? 255)
        }
        Self.encode(instants: insurance, into: &encoder)
        encoder.append(varint: UInt64(payments.count))
        for payment in payments {
            encoder.append(zigzag: payment.at)
            encoder.append(byte: payment.aid.map { UInt8(AidKind.allCases.firstIndex(of: $0)!) } ?? 255)
            encoder.append(zigzag: payment.amountFen)
        }
        encoder.append(varint: UInt64(training.count))
        for entry in training {
            encoder.append(zigzag: entry.at)
            encoder.append(byte: entry.kind == .vocational ? 0 : 1)
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
            switch tag {
            case 0 ... 3: change = .enrolled(program: tag & 1 == 0 ? .communityDetox : .communityRehab, town: try decoder.string(bytes), employable: tag & 2 != 0)
            case 4: change = .measureEnded
            case 5: change = .deregistered
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
            let tag = Int(try decoder.byte(bytes))
            jobs.append(JobChange(seq: seq, at: at, placed: tag < JobKind.allCases.count ? JobKind.allCases[tag] : nil))
        }
        insurance = try Self.decodeInstants(bytes, &decoder)
        let paymentCount = try decoder.length(bytes)
        for _ in 0 ..< paymentCount {
            let at = try decoder.zigzag(bytes)
            let tag = Int(try decoder.byte(bytes))
            payments.append(Payment(at: at, aid: tag < AidKind.allCases.count ? AidKind.allCases[tag] : nil, amountFen: try decoder.zigzag(bytes)))
        }
        let trainingCount = try decoder.length(bytes)
        for _ in 0 ..< trainingCount {
            let at = try decoder.zigzag(bytes)
            training.append((at, try decoder.byte(bytes) == 0 ? .vocational : .agricultural))
        }
        let pointsCount = try decoder.length(bytes)
        for _ in 0 ..< pointsCount {
            let at = try decoder.zigzag(bytes)
            let delta = try decoder.zigzag(bytes)
            points.append(PointsChange(at: at, delta: delta, isRedemption: try decoder.byte(bytes) == 1))
        }
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
