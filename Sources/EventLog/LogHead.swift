/// The newest end of the log: what the next append chains onto, and what an auditor
/// publishes to pin the history.
public struct LogHead: Equatable, Sendable {
    /// 0 for an empty log.
    public let seq: UInt64
    public let recordedAt: Int64

    static let empty = LogHead(seq: 0, hash: ChainHash.genesis[...], recordedAt: Int64.min)

    init(seq: UInt64, hash: [UInt8], recordedAt: Int64) {
        self.init(seq: seq, hash: hash[...], recordedAt: recordedAt)
    }

    /// Keeps the hash as a slice of the stored value it came from, so appending a batch
    /// copies no hashes.
    init(seq: UInt64, hash: ArraySlice<UInt8>, recordedAt: Int64) {
        self.seq = seq
        self.hashBytes = hash
        self.recordedAt = recordedAt
    }

    private let hashBytes: ArraySlice<UInt8>

    /// 32 zero bytes for an empty log.
    public var hash: [UInt8] { Array(hashBytes) }

    /// The hash without copying it.
    var hashSlice: ArraySlice<UInt8> { hashBytes }

    public static func == (lhs: LogHead, rhs: LogHead) -> Bool {
        lhs.seq == rhs.seq && lhs.hashBytes.elementsEqual(rhs.hashBytes) && lhs.recordedAt == rhs.recordedAt
    }
}
