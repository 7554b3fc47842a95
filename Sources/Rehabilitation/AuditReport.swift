/// `recovery audit`: a participant's history replayed from the log itself, beside what the
/// balance projection holds.
public struct AuditReport: Sendable {
    public let participant: String
    public let rows: [ParticipantReplay.Row]
    /// The balance the replay arrives at.
    public let balance: Int64
    /// The stored projection's balance; nil when the replay was cut at an earlier seq.
    public let projectionBalance: Int64?
    /// Whether the replay and the projection agree (true when the replay was cut earlier,
    /// as there is no stored projection of the past to compare with).
    public let consistent: Bool
    public let headSeq: UInt64
    /// Hex chain hash at `headSeq`.
    public let headHash: String
}
