/// What happened to one submitted event.
public enum AppendOutcome: Equatable, Sendable {
    /// Appended at `seq`.
    case appended(seq: UInt64)
    /// An identical event with the same id is already at `seq`; nothing was appended.
    case duplicate(seq: UInt64)

    /// The seq that now holds the event.
    public var seq: UInt64 {
        switch self {
        case .appended(let seq), .duplicate(let seq): seq
        }
    }
}
