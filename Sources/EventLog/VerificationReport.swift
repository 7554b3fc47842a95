/// The outcome of re-checking the whole log: either the chain and every index entry agree
/// with the stored records, or the first place where they do not.
public struct VerificationReport: Equatable, Sendable {
    public let ok: Bool
    public let events: Int
    public let headSeq: UInt64
    /// Hex of the chain hash at the head.
    public let headHash: String
    /// The first seq found damaged or inconsistent.
    public let firstBadSeq: UInt64?
    public let reason: String?

    public init(ok: Bool, events: Int, headSeq: UInt64, headHash: String, firstBadSeq: UInt64?, reason: String?) {
        self.ok = ok
        self.events = events
        self.headSeq = headSeq
        self.headHash = headHash
        self.firstBadSeq = firstBadSeq
        self.reason = reason
    }

    /// This report's head and count, found wrong at `seq` (nil: not at one event) for `reason`.
    public func failing(at seq: UInt64?, reason: String) -> VerificationReport {
        VerificationReport(ok: false, events: events, headSeq: headSeq, headHash: headHash, firstBadSeq: seq, reason: reason)
    }
}
