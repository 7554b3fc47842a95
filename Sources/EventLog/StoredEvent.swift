/// An event as the log holds it: the submitted fields plus the position and time the log
/// gave it. Decoded from the binary record, never from JSON.
public struct StoredEvent: Equatable, Sendable {
    /// Position in the global order: 1, 2, 3, … without gaps.
    public let seq: UInt64
    /// When the log took it, UTC milliseconds; never decreases along `seq`.
    public let recordedAt: Int64
    public let id: String
    public let type: String
    /// The stream the event belongs to.
    public let stream: String
    /// When it happened, UTC milliseconds.
    public let at: Int64
    public let actor: String
    /// Always an object.
    public let data: JSONValue
}
