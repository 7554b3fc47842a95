/// One participant whose balance a rules change (or a rebuild check) would move.
public struct BalanceChange: Equatable, Sendable {
    public let participant: String
    public let before: Int64
    public let after: Int64

    public init(participant: String, before: Int64, after: Int64) {
        self.participant = participant
        self.before = before
        self.after = after
    }
}
