/// An event together with the bytes that prove it: its stored binary record and the chain
/// hash over it. This is what an auditor needs to re-check the chain independently.
public struct LoggedEntry: Sendable {
    public let event: StoredEvent
    /// `SHA-256(previous hash ‖ record)`.
    public let hash: [UInt8]
    /// The stored binary record (docs/format.md).
    public let record: [UInt8]
}
