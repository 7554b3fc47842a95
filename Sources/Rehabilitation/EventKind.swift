import EventLog

/// The events a town social worker records, with their typed data (docs/events.md).
public enum EventKind: Equatable, Sendable {
    case enrolled(program: Program, town: String, employable: Bool)
    case measureEnded(reason: MeasureEndReason)
    case deregistered(reason: DeregistrationReason)
    case checkIn(channel: CheckInChannel)
    case testResult(TestResult)
    case trainingAttended(TrainingKind)
    case educationCompleted(course: String)
    case pointsAdjusted(delta: Int64, reason: String)
    case pointsRedeemed(points: Int64, item: String)
    case aidPaid(kind: AidKind, amountFen: Int64)
    case jobPlaced(kind: JobKind, employer: String)
    case jobEnded(reason: String)
    case employerSubsidyPaid(employer: String, amountFen: Int64)
    case insuranceEnrolled(InsuranceKind)
    case voided(eventId: String, reason: String)

    /// The event types whose effects a `voided` event may cancel.
    public static let voidableTypes: Set<String> = [
        "check_in", "test_result", "training_attended", "education_completed", "points_adjusted", "points_redeemed",
        "aid_paid", "employer_subsidy_paid", "insurance_enrolled",
    ]

    /// Every type the catalogue accepts.
    public static let types: [String] = [
        "enrolled", "measure_ended", "deregistered", "check_in", "test_result", "training_attended", "education_completed",
        "points_adjusted", "points_redeemed", "aid_paid", "job_placed", "job_ended", "employer_subsidy_paid",
        "insurance_enrolled", "voided",
    ]
}

/// 社区戒毒 (community detox) or 社区康复 (community rehabilitation, after compulsory isolation).
public enum Program: String, CaseIterable, Sendable { case communityDetox = "community_detox", communityRehab = "community_rehab" }
public enum MeasureEndReason: String, CaseIterable, Sendable { case completed, compulsoryIsolation = "compulsory_isolation" }
public enum DeregistrationReason: String, CaseIterable, Sendable { case movedAway = "moved_away", deceased, removed }
public enum CheckInChannel: String, CaseIterable, Sendable { case inPerson = "in_person", online }
public enum TestResult: String, CaseIterable, Sendable { case negative, positive, refused }
public enum TrainingKind: String, CaseIterable, Sendable { case vocational, agricultural }
/// 低保 (subsistence) or 临时救助 (temporary relief).
public enum AidKind: String, CaseIterable, Sendable { case subsistence, temporary }
public enum JobKind: String, CaseIterable, Sendable { case enterprise, selfEmployment = "self_employment", publicWelfare = "public_welfare" }
public enum InsuranceKind: String, CaseIterable, Sendable { case social, medical }
