/// What can go wrong in the domain above the log, in terms a user can act on (the CLI's
/// failure layer words them and gives the exit codes; the log's own are `LogError`).
public enum LedgerError: Error, CustomStringConvertible, Sendable {
    /// A stored record decodes but is not what the catalogue describes (an unknown type or
    /// choice, a field missing or extra): damage, found by `rebuild`, `audit`, a replayed
    /// `stats` and `verify`.
    case unknownEvent(seq: UInt64, reason: String)
    /// A projection kept beside the log cannot be read; it can be recomputed from the log.
    case damagedProjection(reason: String)

    public var description: String {
        switch self {
        case .unknownEvent(let seq, let reason):
            "the stored event at seq \(seq) is not one the catalogue knows (\(reason))"
        case .damagedProjection(let reason):
            "a projection cannot be read (\(reason))"
        }
    }
}
