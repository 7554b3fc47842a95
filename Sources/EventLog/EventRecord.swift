import LMDB

/// The stored binary record of one event, version 1 (docs/format.md is the normative text):
///
///     u8 version = 1 | varint seq | zigzag recorded_at_ms | string id |
///     zigzag at_ms | string type | string participant | string actor | value data
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
            for _ in 0 ..< 32 { encoder.append(byte: 0) }
            encoder.append(byte: version)
            encoder.append(varint: seq)
            encoder.append(zigzag: recordedAt)
            encoder.append(string: id)
            contentStart = encoder.bytes.count
            encoder.append(zigzag: event.at)
            encoder.append(string: event.type)
            encoder.append(string: event.participant)
            encoder.append(string: event.actor)
            encoder.append(value: event.data)
        }
        return contentStart
    }

    /// The canonical record of a stored event: what the log would have written for it.
    static func encode(_ event: StoredEvent) -> [UInt8] {
        var value: [UInt8] = []
        _ = encodeValue(into: &value, seq: event.seq, recordedAt: event.recordedAt, id: event.id, event: NewEvent(
            id: event.id, type: event.type, participant: event.participant, at: event.at, actor: event.actor, data: event.data))
        return Array(value[32...])
    }

    /// Decodes a record that starts at `offset` and runs to the end of `bytes`.
    static func decode(_ bytes: Span<UInt8>, from offset: Int) throws(RecordDamage) -> StoredEvent {
        var decoder = BinaryDecoder(offset: offset)
        let version = try decoder.byte(bytes)
        guard version == Self.version else { throw RecordDamage("unknown record version \(version)") }
        let seq = try decoder.varint(bytes)
        let recordedAt = try decoder.zigzag(bytes)
        let id = try decoder.string(bytes)
        let at = try decoder.zigzag(bytes)
        let type = try decoder.string(bytes)
        let participant = try decoder.string(bytes)
        let actor = try decoder.string(bytes)
        let data = try decoder.value(bytes)
        guard case .object = data else { throw RecordDamage("data is not an object") }
        guard decoder.offset == bytes.count else { throw RecordDamage("trailing bytes after the record") }
        return StoredEvent(seq: seq, recordedAt: recordedAt, id: id, type: type, participant: participant, at: at, actor: actor, data: data)
    }

    /// Where the content starts in a record beginning at `offset`.
    static func contentOffset(_ bytes: Span<UInt8>, from offset: Int) throws(RecordDamage) -> Int {
        var decoder = BinaryDecoder(offset: offset)
        _ = try decoder.byte(bytes)
        _ = try decoder.varint(bytes)
        _ = try decoder.zigzag(bytes)
        let idLength = try decoder.length(bytes)
        return decoder.offset + idLength
    }
}
