/// What adopting a rules document changes: `{"changed":[…],"unchanged":N}`.
public struct RulesDiff: Equatable, Sendable {
    /// Sorted by participant id (bytes).
    public let changed: [BalanceChange]
    public let unchanged: Int

    public init(changed: [BalanceChange], unchanged: Int) {
        self.changed = changed
        self.unchanged = unchanged
    }
}
