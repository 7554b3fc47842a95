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
    /// The year before's figures the `_change` figures compare with, each as `stats` gives it
    /// for Y−1 as of its 31 December, in P's town on that day (docs/statistics.md).
    public var previousYear = PreviousYear()
    /// Participants under a measure of either programme at some moment of the year, and those
    /// of them with a positive test while under it: `consolidation_rate` = 1 − relapsed / participants.
    public var consolidation = Relapse()
    public var aid: [AidKind: Aid] = [.subsistence: Aid(), .temporary: Aid()]
    public var placements: [JobKind: Int] = [.enterprise: 0, .selfEmployment: 0, .publicWelfare: 0]
    public var employerSubsidiesFen: Int64 = 0
    public var training: [TrainingKind: Int] = [.vocational: 0, .agricultural: 0]
    public var pointsAwarded: Int64 = 0
    public var pointsDeducted: Int64 = 0
    public var pointsRedeemed: Int64 = 0
    public var pointsOutstanding: Int64 = 0
    public var overdue = 0

    /// What the year before's 31 December showed: the inputs of `abstinent_3y_change` and
    /// `new_enrollments_change`.
    public struct PreviousYear: Equatable, Sendable {
        public var registered = 0
        public var abstinent3y = 0
        public var newEnrollments = 0

        public init(registered: Int = 0, abstinent3y: Int = 0, newEnrollments: Int = 0) {
            self.registered = registered
            self.abstinent3y = abstinent3y
            self.newEnrollments = newEnrollments
        }

        public var abstinent3yRate: Double? { registered > 0 ? Double(abstinent3y) / Double(registered) : nil }
    }

    public init() {}

    public var employmentRate: Double? { employable > 0 ? Double(employed) / Double(employable) : nil }
    public var insuranceRate: Double? { registered > 0 ? Double(insured) / Double(registered) : nil }
    public var abstinent3yRate: Double? { registered > 0 ? Double(abstinent3y) / Double(registered) : nil }
    public var aidTotalFen: Int64 { aid.values.reduce(0) { $0 + $1.amountFen } }

    /// 戒断三年未复吸人员占在册数 同比: (s(Y) − s(Y−1)) / s(Y−1) from the unrounded shares; null
    /// when either share is null or last year's is 0.
    public var abstinent3yChange: Double? {
        guard let current = abstinent3yRate, let previous = previousYear.abstinent3yRate, previous != 0 else { return nil }
        return (current - previous) / previous
    }

    /// 戒毒康复巩固率: 1 − relapsed / participants over both programmes; null without participants.
    public var consolidationRate: Double? { consolidation.rate.map { 1 - $0 } }

    /// 新增吸毒人员 同比: (n(Y) − n(Y−1)) / n(Y−1); null when last year had none.
    public var newEnrollmentsChange: Double? {
        previousYear.newEnrollments > 0
            ? Double(newEnrollments - previousYear.newEnrollments) / Double(previousYear.newEnrollments) : nil
    }

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
        previousYear.registered += other.previousYear.registered
        previousYear.abstinent3y += other.previousYear.abstinent3y
        previousYear.newEnrollments += other.previousYear.newEnrollments
        consolidation.participants += other.consolidation.participants
        consolidation.relapsed += other.consolidation.relapsed
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
