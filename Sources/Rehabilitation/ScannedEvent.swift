/// One event of a rebuild's scan, held until the events are grouped by participant. A
/// million of them are kept and moved once, so the effect is packed into plain bytes (its
/// case, its choice, its amount; for an enrolment the town's number among the city's towns):
/// a trivial type is copied and overwritten without any per-value work.
struct ScannedEvent: Sendable {
    let seq: UInt64
    let at: Int64
    /// The participant's number in its part (`ParticipantKeys`).
    let participant: Int32
    /// `delta`, `points` or `amount_fen`; for an enrolment, the town's number.
    private let amount: Int64
    private let code: Code
    /// The case's choice (result, kind, program); for an enrolment, bit 7 is `employable`.
    private let detail: UInt8

    private enum Code: UInt8 {
        case enrolled, measureEnded, deregistered, checkIn, testResult, trainingAttended, educationCompleted
        case pointsAdjusted, pointsRedeemed, aidPaid, jobPlaced, jobEnded, employerSubsidyPaid, insuranceEnrolled
    }

    /// A placeholder, overwritten before it is read.
    static let empty = ScannedEvent(seq: 0, at: 0, participant: 0, amount: 0, code: .checkIn, detail: 0)

    private init(seq: UInt64, at: Int64, participant: Int32, amount: Int64, code: Code, detail: UInt8) {
        self.seq = seq
        self.at = at
        self.participant = participant
        self.amount = amount
        self.code = code
        self.detail = detail
    }

    /// Packs `effect`; nil for a void, which has no effect to keep, or an enrolment in a town
    /// that `townNumber` does not know (numbers are places in the city's list of towns).
    init?(seq: UInt64, at: Int64, participant: Int, effect: EventEffect, townNumber: (String) -> Int?) {
        var amount: Int64 = 0
        var detail: UInt8 = 0
        let code: Code
        switch effect {
        case .enrolled(let program, let town, let employable):
            guard let number = townNumber(town) else { return nil }
            (code, amount, detail) = (.enrolled, Int64(number), (program == .communityDetox ? 0 : 1) | (employable ? 0x80 : 0))
        case .measureEnded: code = .measureEnded
        case .deregistered: code = .deregistered
        case .checkIn: code = .checkIn
        case .testResult(let result): (code, detail) = (.testResult, result == .negative ? 0 : result == .positive ? 1 : 2)
        case .trainingAttended(let training): (code, detail) = (.trainingAttended, training == .vocational ? 0 : 1)
        case .educationCompleted: code = .educationCompleted
        case .pointsAdjusted(let delta): (code, amount) = (.pointsAdjusted, delta)
        case .pointsRedeemed(let points): (code, amount) = (.pointsRedeemed, points)
        case .aidPaid(let kind, let fen): (code, detail, amount) = (.aidPaid, kind == .subsistence ? 0 : 1, fen)
        case .jobPlaced(let job): (code, detail) = (.jobPlaced, job == .enterprise ? 0 : job == .selfEmployment ? 1 : 2)
        case .jobEnded: code = .jobEnded
        case .employerSubsidyPaid(let fen): (code, amount) = (.employerSubsidyPaid, fen)
        case .insuranceEnrolled: code = .insuranceEnrolled
        case .voided: return nil
        }
        self.init(seq: seq, at: at, participant: Int32(participant), amount: amount, code: code, detail: detail)
    }

    /// The effect packed; `towns` are the city's town ids, in the city's order.
    func effect(towns: [String]) -> EventEffect {
        switch code {
        case .enrolled:
            return .enrolled(program: detail & 1 == 0 ? .communityDetox : .communityRehab, town: towns[Int(amount)],
                             employable: detail & 0x80 != 0)
        case .measureEnded: return .measureEnded
        case .deregistered: return .deregistered
        case .checkIn: return .checkIn
        case .testResult: return .testResult(detail == 0 ? .negative : detail == 1 ? .positive : .refused)
        case .trainingAttended: return .trainingAttended(detail == 0 ? .vocational : .agricultural)
        case .educationCompleted: return .educationCompleted
        case .pointsAdjusted: return .pointsAdjusted(delta: amount)
        case .pointsRedeemed: return .pointsRedeemed(points: amount)
        case .aidPaid: return .aidPaid(kind: detail == 0 ? .subsistence : .temporary, amountFen: amount)
        case .jobPlaced: return .jobPlaced(detail == 0 ? .enterprise : detail == 1 ? .selfEmployment : .publicWelfare)
        case .jobEnded: return .jobEnded
        case .employerSubsidyPaid: return .employerSubsidyPaid(amountFen: amount)
        case .insuranceEnrolled: return .insuranceEnrolled
        }
    }
}
