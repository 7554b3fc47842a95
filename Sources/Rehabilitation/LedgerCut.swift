/// Which part of the ledger a report looks at: everything recorded, or only what had been
/// recorded by a seq or a moment — the figures as they could have been published then.
public enum LedgerCut: Sendable {
    case everything
    /// Events with seq ≤ N.
    case seq(UInt64)
    /// Events whose `recorded_at` ≤ this UTC instant (milliseconds).
    case recordedBy(Int64)
}
