/// What adopting a rules document changes: the balances that move, how many do not, and
/// the events whose points move (`{"changed":[…],"unchanged":N,"events":[…],"events_total":N}`).
public struct RulesDiff: Equatable, Sendable {
    /// Sorted by participant id (bytes).
    public let changed: [BalanceChange]
    public let unchanged: Int
    /// The first `Ledger.repricedEventsLimit` repriced events, by participant then seq.
    public let repriced: [RepricedEvent]
    /// All of them.
    public let repricedTotal: Int

    public init(changed: [BalanceChange], unchanged: Int, repriced: [RepricedEvent] = [], repricedTotal: Int = 0) {
        self.changed = changed
        self.unchanged = unchanged
        self.repriced = repriced
        self.repricedTotal = repricedTotal
    }

    /// The balances that would fall below zero.
    public var negative: [BalanceChange] { changed.filter { $0.after < 0 } }
}
