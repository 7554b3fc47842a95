import LMDB

/// The stored binary record of one event, version 1 (docs/format.md is the normative text):
///
///     u8 version = 1 | varint seq | zigzag recorded_at_ms | string id |
///     zigzag at_ms | string type | string stream | string actor | value data
///
/// Everything from `at_ms` on is the event's *content*: two events with the same id are
/// duplicates exactly when their content bytes are equal.
enum EventRecord {
    static let version: UInt8 = 1

    /// Writes the stored value of a new event into `buffer`: 32 bytes reserved for its chain
    /// hash, then its record. Returns the offset where the record's content starts.
    static func encodeValue(into buffer: inout [UInt8], seq: UInt64, recordedAt: Int64, id: String, event: NewEvent) -> Int {
        var contentStart = 0
        BinaryEncoder.encode(into: &buffer) { encoder in
            for _ in 0 ..< offsetInValue { encoder.append(byte: 0) }
            encoder.append(byte: version)
            encoder.append(varint: seq)
            encoder.append(zigzag: recordedAt)
            encoder.append(string: id)
            contentStart = encoder.bytes.count
            encoder.append(zigzag: event.at)
            encoder.append(string: event.type)
            encoder.append(string: event.stream)
            encoder.append(string: event.actor)
            encoder.append(value: event.data)
        }
        return contentStart
    }

    /// The canonical record of a stored event: what the log would have written for it.
    static func encode(_ event: StoredEvent) -> [UInt8] {
        var value: [UInt8] = []
        _ = encodeValue(into: &value, seq: event.seq, recordedAt: event.recordedAt, id: event.id, event: NewEvent(
            id: event.id, type: event.type, stream: event.stream, at: event.at, actor: event.actor, data: event.data))
        return Array(value[offsetInValue...])
    }

    /// The record's first fields, in their order: the one place that reads them.
    struct Header {
        let version: UInt8
        let seq: UInt64
        let recordedAt: Int64

        /// Reads the header at `decoder`'s offset (the version is returned, not checked: the
        /// head's position must be readable even from a record of another version).
        init(_ value: Span<UInt8>, _ decoder: inout BinaryDecoder) throws(RecordDamage) {
            version = try decoder.byte(value)
            seq = try decoder.varint(value)
            recordedAt = try decoder.zigzag(value)
        }
    }

    /// Where a record starts in a stored value: after the chain hash.
    static let offsetInValue = ChainHash.size

    /// Decodes the record of a stored value (after its chain hash). The header is read by
    /// `EventLayout`, the one place that knows the record's field order.
    static func decode(value: Span<UInt8>) throws(RecordDamage) -> StoredEvent {
        guard value.count > offsetInValue else { throw RecordDamage("value shorter than a hash") }
        return try decode(value, from: offsetInValue)
    }

    /// Decodes a record that starts at `offset` and runs to the end of `bytes`.
    static func decode(_ bytes: Span<UInt8>, from offset: Int) throws(RecordDamage) -> StoredEvent {
        try EventLayout(bytes, recordAt: offset).event(in: bytes)
    }
}
