/// What an accepted event does to a participant's projection: the part of an `EventKind`
/// the state, the points and the figures depend on, without the free text (reasons, courses,
/// employers, items) that only the log keeps. A rebuild reads this straight from stored
/// records, so it never builds strings it would throw away.
public enum EventEffect: Equatable, Sendable {
    case enrolled(program: Program, town: String, employable: Bool)
    case measureEnded
    case deregistered
    case checkIn
    case testResult(TestResult)
    case trainingAttended(TrainingKind)
    case educationCompleted
    case pointsAdjusted(delta: Int64)
    case pointsRedeemed(points: Int64)
    case aidPaid(kind: AidKind, amountFen: Int64)
    case jobPlaced(JobKind)
    case jobEnded
    case employerSubsidyPaid(amountFen: Int64)
    case insuranceEnrolled
    /// A void has no effect of its own; the voided event's is removed by replaying.
    case voided
}

extension EventKind {
    /// The event's effect on the projection.
    public var effect: EventEffect {
        switch self {
        case .enrolled(let program, let town, let employable): .enrolled(program: program, town: town, employable: employable)
        case .measureEnded: .measureEnded
        case .deregistered: .deregistered
        case .checkIn: .checkIn
        case .testResult(let result): .testResult(result)
        case .trainingAttended(let training): .trainingAttended(training)
        case .educationCompleted: .educationCompleted
        case .pointsAdjusted(let delta, _): .pointsAdjusted(delta: delta)
        case .pointsRedeemed(let points, _): .pointsRedeemed(points: points)
        case .aidPaid(let kind, let amount): .aidPaid(kind: kind, amountFen: amount)
        case .jobPlaced(let kind, _): .jobPlaced(kind)
        case .jobEnded: .jobEnded
        case .employerSubsidyPaid(_, let amount): .employerSubsidyPaid(amountFen: amount)
        case .insuranceEnrolled: .insuranceEnrolled
        case .voided: .voided
        }
    }
}
