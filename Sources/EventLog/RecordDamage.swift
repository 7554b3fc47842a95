/// A stored record that cannot be decoded: the log is damaged at that point.
public struct RecordDamage: Error {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}
