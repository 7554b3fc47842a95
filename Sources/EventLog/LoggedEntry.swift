/// An event together with the bytes that prove it: its stored binary record and the chain
/// hash over it. This is what an auditor needs to re-check the chain independently.
public struct LoggedEntry: Sendable {
    public let event: StoredEvent
    /// The stored value (hash ‖ record), copied once; `hash` and `record` are views of it.
    private let value: [UInt8]

    init(event: StoredEvent, value: [UInt8]) {
        self.event = event
        self.value = value
    }

    /// `SHA-256(previous hash ‖ record)`.
    public var hash: ArraySlice<UInt8> { value[0 ..< EventRecord.offsetInValue] }
    /// The stored binary record (docs/format.md).
    public var record: ArraySlice<UInt8> { value[EventRecord.offsetInValue...] }
}
