/// The figures Enping publishes, for the whole city or one town (docs/statistics.md
/// defines each one).
public struct CityFigures: Equatable, Sendable {
    /// Participants and relapses of one programme in one year.
    public struct Relapse: Equatable, Sendable {
        public var participants = 0
        public var relapsed = 0
        public var rate: Double? { participants > 0 ? Double(relapsed) / Double(participants) : nil }

        public init(participants: Int = 0, relapsed: Int = 0) {
            self.participants = participants
            self.relapsed = relapsed
        }
    }

    public struct Aid: Equatable, Sendable {
        public var recipients = 0
        public var amountFen: Int64 = 0

        public init(recipients: Int = 0, amountFen: Int64 = 0) {
            self.recipients = recipients
            self.amountFen = amountFen
        }
    }

    public var registered = 0
    public var registeredByProgram: [Program: Int] = [.communityDetox: 0, .communityRehab: 0]
    public var underMeasure: [Program: Int] = [.communityDetox: 0, .communityRehab: 0]
    public var employable = 0
    public var employed = 0
    public var insured = 0
    public var abstinent3y = 0
    public var relapse: [Program: Relapse] = [.communityDetox: Relapse(), .communityRehab: Relapse()]
    /// The same counts for the year before, for `relapse_change`.
    public var relapsePreviousYear: [Program: Relapse] = [.communityDetox: Relapse(), .communityRehab: Relapse()]
    public var newEnrollments = 0
    public var aid: [AidKind: Aid] = [.subsistence: Aid(), .temporary: Aid()]
    public var placements: [JobKind: Int] = [.enterprise: 0, .selfEmployment: 0, .publicWelfare: 0]
    public var employerSubsidiesFen: Int64 = 0
    public var training: [TrainingKind: Int] = [.vocational: 0, .agricultural: 0]
    public var pointsAwarded: Int64 = 0
    public var pointsDeducted: Int64 = 0
    public var pointsRedeemed: Int64 = 0
    public var pointsOutstanding: Int64 = 0
    public var overdue = 0

    public init() {}

    public var employmentRate: Double? { employable > 0 ? Double(employed) / Double(employable) : nil }
    public var insuranceRate: Double? { registered > 0 ? Double(insured) / Double(registered) : nil }
    public var abstinent3yRate: Double? { registered > 0 ? Double(abstinent3y) / Double(registered) : nil }
    public var aidTotalFen: Int64 { aid.values.reduce(0) { $0 + $1.amountFen } }

    /// `relapse_change` of a programme: null when either rate is null or last year's is 0.
    public func relapseChange(_ program: Program) -> Double? {
        guard let current = relapse[program]?.rate, let previous = relapsePreviousYear[program]?.rate, previous != 0 else { return nil }
        return (current - previous) / previous
    }

    /// Adds another scope's counts (a town's into the city's).
    mutating func add(_ other: CityFigures) {
        registered += other.registered
        for program in Program.allCases {
            registeredByProgram[program]! += other.registeredByProgram[program]!
            underMeasure[program]! += other.underMeasure[program]!
            relapse[program]!.participants += other.relapse[program]!.participants
            relapse[program]!.relapsed += other.relapse[program]!.relapsed
            relapsePreviousYear[program]!.participants += other.relapsePreviousYear[program]!.participants
            relapsePreviousYear[program]!.relapsed += other.relapsePreviousYear[program]!.relapsed
        }
        employable += other.employable
        employed += other.employed
        insured += other.insured
        abstinent3y += other.abstinent3y
        newEnrollments += other.newEnrollments
        for kind in AidKind.allCases {
            aid[kind]!.recipients += other.aid[kind]!.recipients
            aid[kind]!.amountFen += other.aid[kind]!.amountFen
        }
        for kind in JobKind.allCases { placements[kind]! += other.placements[kind]! }
        employerSubsidiesFen += other.employerSubsidiesFen
        for kind in TrainingKind.allCases { training[kind]! += other.training[kind]! }
        pointsAwarded += other.pointsAwarded
        pointsDeducted += other.pointsDeducted
        pointsRedeemed += other.pointsRedeemed
        pointsOutstanding += other.pointsOutstanding
        overdue += other.overdue
    }
}
