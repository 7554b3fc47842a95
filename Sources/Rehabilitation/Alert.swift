import EventLog

/// One participant under a measure who needs action on a day.
public struct Alert: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Not seen (check-in or test) for longer than the rules' interval.
        case contact
        /// Three or more refused tests in the current measure (national regulation, art. 20).
        case seriousViolation = "serious_violation"
        /// A positive test in the last 30 days: it must be reported to the police (art. 21).
        case relapseReport = "relapse_report"
    }

    /// How long contact has been lost.
    public enum Level: String, Sendable {
        case late
        case suspectedLostContact = "suspected_lost_contact"
        case lostContact = "lost_contact"
    }

    public let participant: String
    public let town: String
    public let kind: Kind
    /// For `contact` only.
    public let level: Level?
    /// The local date of the last contact, of the third refusal, or of the latest positive test.
    public let since: CivilDate
    /// For `contact` only.
    public let daysOverdue: Int?

    public init(participant: String, town: String, kind: Kind, level: Level?, since: CivilDate, daysOverdue: Int?) {
        self.participant = participant
        self.town = town
        self.kind = kind
        self.level = level
        self.since = since
        self.daysOverdue = daysOverdue
    }
}
