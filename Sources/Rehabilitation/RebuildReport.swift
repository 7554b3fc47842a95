/// What `recovery rebuild` did, and how fast.
public struct RebuildReport: Sendable {
    public let events: Int
    public let participants: Int
    public let seconds: Double
    public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
}
