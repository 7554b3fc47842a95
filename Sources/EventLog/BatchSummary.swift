/// The result of an atomic batch append (an import).
public struct BatchSummary: Equatable, Sendable {
    public var appended = 0
    public var duplicates = 0
    /// The first and last seq appended; nil when nothing new was appended.
    public var firstSeq: UInt64?
    public var lastSeq: UInt64?

    public init() {}
}
