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

    /// The entry of a record read from elsewhere (a proof document): decoded, and refused
    /// unless it is exactly the record the log would have written for what it decodes to.
    package init(record: [UInt8], chainHash: [UInt8] = ChainHash.genesis) throws(RecordDamage) {
        precondition(chainHash.count == ChainHash.size, "a chain hash is 32 bytes")
        let value = chainHash + record
        let event = try EventRecord.decode(value: value.span)
        guard EventRecord.encode(event) == record else { throw RecordDamage("the record is not in canonical form") }
        self.init(event: event, value: value)
    }

    /// `SHA-256(previous hash ‖ record)`.
    public var hash: ArraySlice<UInt8> { value[0 ..< EventRecord.offsetInValue] }
    /// The stored binary record (docs/format.md).
    public var record: ArraySlice<UInt8> { value[EventRecord.offsetInValue...] }
}
