/// The event types of docs/events.md that the scenario writes, with their JSON names and the
/// order in which same-minute events of one participant are logged (enrolment first,
/// measure ends and deregistrations last), so that every line is valid when imported in turn.
enum EventKind: UInt8 {
    case enrolled, checkIn, testResult, training, education, pointsAdjusted, pointsRedeemed
    case aidPaid, jobPlaced, jobEnded, subsidy, insurance, voided, measureEnded, deregistered

    /// The `type` field.
    var name: String {
        switch self {
        case .enrolled: "enrolled"
        case .checkIn: "check_in"
        case .testResult: "test_result"
        case .training: "training_attended"
        case .education: "education_completed"
        case .pointsAdjusted: "points_adjusted"
        case .pointsRedeemed: "points_redeemed"
        case .aidPaid: "aid_paid"
        case .jobPlaced: "job_placed"
        case .jobEnded: "job_ended"
        case .subsidy: "employer_subsidy_paid"
        case .insurance: "insurance_enrolled"
        case .voided: "voided"
        case .measureEnded: "measure_ended"
        case .deregistered: "deregistered"
        }
    }

    /// Tie-break among one participant's events of the same minute.
    var rank: Int {
        switch self {
        case .enrolled: 0
        case .measureEnded, .deregistered: 2
        default: 1
        }
    }
}
