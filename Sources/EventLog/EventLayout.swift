import LMDB

/// One stored event with its numbers decoded and the places of its other fields located,
/// but nothing copied: the view a scan over millions of events hands out, so that callers
/// pay only for the fields they read (a rebuild never needs an `actor` string, say).
/// Field accessors take the stored value the layout was made from.
public struct EventLayout: Sendable {
    public let seq: UInt64
    public let recordedAt: Int64
    public let at: Int64
    let id: Range<Int>
    let type: Range<Int>
    let stream: Range<Int>
    let actor: Range<Int>
    let data: Range<Int>
    let recordStart: Int

    /// Locates the fields of the record starting at `offset` (after the chain hash).
    init(_ value: Span<UInt8>, recordAt offset: Int) throws(RecordDamage) {
        var decoder = BinaryDecoder(offset: offset)
        let header = try EventRecord.Header(value, &decoder)
        guard header.version == EventRecord.version else { throw RecordDamage("unknown record version \(header.version)") }
        seq = header.seq
        recordedAt = header.recordedAt
        id = try Self.range(value, &decoder)
        at = try decoder.zigzag(value)
        type = try Self.range(value, &decoder)
        stream = try Self.range(value, &decoder)
        actor = try Self.range(value, &decoder)
        guard decoder.offset < value.count, value[decoder.offset] == BinaryValueTag.object else {
            throw RecordDamage("data is not an object")
        }
        data = decoder.offset ..< value.count
        recordStart = offset
    }

    private static func range(_ value: Span<UInt8>, _ decoder: inout BinaryDecoder) throws(RecordDamage) -> Range<Int> {
        let count = try decoder.length(value)
        defer { decoder.offset += count }
        return decoder.offset ..< decoder.offset + count
    }

    public func id(in value: Span<UInt8>) throws(RecordDamage) -> String { try string(id, value) }
    public func type(in value: Span<UInt8>) throws(RecordDamage) -> String { try string(type, value) }
    public func stream(in value: Span<UInt8>) throws(RecordDamage) -> String { try string(stream, value) }
    public func actor(in value: Span<UInt8>) throws(RecordDamage) -> String { try string(actor, value) }

    /// Where the type's UTF-8 bytes are in the stored value.
    public var typeRange: Range<Int> { type }

    /// Where the id's UTF-8 bytes are in the stored value.
    var idRange: Range<Int> { id }

    /// Where the stream's UTF-8 bytes are in the stored value (to key tables by them).
    public var streamRange: Range<Int> { stream }

    /// The `data` object, read in place: members are found by key without decoding the rest.
    public func dataObject(in value: Span<UInt8>) throws(RecordDamage) -> StoredObject {
        try StoredObject(value, at: data.lowerBound)
    }

    /// The decoded `data` object.
    public func data(in value: Span<UInt8>) throws(RecordDamage) -> JSONValue {
        var decoder = BinaryDecoder(offset: data.lowerBound)
        let decoded = try decoder.value(value)
        guard decoder.offset == value.count else { throw RecordDamage("trailing bytes after the record") }
        return decoded
    }

    /// Where the record's content (everything from `at` on, what idempotency compares) starts.
    var contentStart: Int { id.upperBound }

    /// The whole event (its `data` must run to the end of the value).
    public func event(in value: Span<UInt8>) throws(RecordDamage) -> StoredEvent {
        StoredEvent(seq: seq, recordedAt: recordedAt, id: try id(in: value), type: try type(in: value),
                    stream: try stream(in: value), at: at, actor: try actor(in: value), data: try data(in: value))
    }

    private func string(_ range: Range<Int>, _ value: Span<UInt8>) throws(RecordDamage) -> String {
        guard let text = value.utf8String(from: range.lowerBound, count: range.count) else {
            throw RecordDamage("invalid UTF-8 in a stored string")
        }
        return text
    }
}
