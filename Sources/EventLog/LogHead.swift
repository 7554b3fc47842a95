/// The newest end of the log: what the next append chains onto, and what an auditor
/// publishes to pin the history.
public struct LogHead: Equatable, Sendable {
    /// 0 for an empty log.
    public let seq: UInt64
    /// 32 zero bytes for an empty log.
    public let hash: [UInt8]
    public let recordedAt: Int64

    static let empty = LogHead(seq: 0, hash: ChainHash.genesis, recordedAt: Int64.min)
}
