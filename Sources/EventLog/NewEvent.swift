/// An event as submitted, validated against the envelope rules but not yet in the log:
/// it has no `seq`, `recorded_at` or hash yet, and maybe no id.
public struct NewEvent: Equatable, Sendable {
    /// The idempotency key; nil lets the log assign a random UUID.
    public var id: String?
    public var type: String
    /// The stream the event belongs to (an entity's own sequence of events).
    public var stream: String
    /// When it happened, UTC milliseconds.
    public var at: Int64
    /// Who recorded it.
    public var actor: String
    /// Always an object.
    public var data: JSONValue

    public init(id: String?, type: String, stream: String, at: Int64, actor: String, data: JSONValue = .object([:])) {
        self.id = id
        self.type = type
        self.stream = stream
        self.at = at
        self.actor = actor
        self.data = data
    }
}
