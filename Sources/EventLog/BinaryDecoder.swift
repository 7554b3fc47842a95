import LMDB

/// Reads the primitives written by `BinaryEncoder` from borrowed bytes. Every read is
/// bounds-checked: a damaged record is reported, never trusted.
public struct BinaryDecoder {
    /// The position of the next byte to read.
    public var offset: Int

    public init(offset: Int = 0) { self.offset = offset }

    @inline(__always)
    public mutating func byte(_ bytes: Span<UInt8>) throws(RecordDamage) -> UInt8 {
        guard offset < bytes.count else { throw RecordDamage("record ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    public mutating func varint(_ bytes: Span<UInt8>) throws(RecordDamage) -> UInt64 {
        // Most stored numbers (lengths, small counts) fit in one byte.
        if offset < bytes.count, bytes[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(bytes[offset])
        }
        return try longVarint(bytes)
    }

    /// A varint of two bytes or more (instants and seqs take 3–6): the position is kept in a
    /// local and written back once, instead of going through `byte` for every byte.
    private mutating func longVarint(_ bytes: Span<UInt8>) throws(RecordDamage) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var position = offset
        while true {
            guard position < bytes.count else { throw RecordDamage("record ends early") }
            let next = bytes[position]
            position += 1
            if shift == 63 && next > 1 { throw RecordDamage("varint overflows 64 bits") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 {
                offset = position
                return result
            }
            shift += 7
            if shift > 63 { throw RecordDamage("varint longer than 10 bytes") }
        }
    }

    @inline(__always)
    public mutating func zigzag(_ bytes: Span<UInt8>) throws(RecordDamage) -> Int64 {
        let raw = try varint(bytes)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func length(_ bytes: Span<UInt8>) throws(RecordDamage) -> Int {
        let raw = try varint(bytes)
        guard raw <= UInt64(bytes.count - offset) else { throw RecordDamage("length runs past the record") }
        return Int(raw)
    }

    public mutating func string(_ bytes: Span<UInt8>) throws(RecordDamage) -> String {
        let count = try length(bytes)
        defer { offset += count }
        guard let text = bytes.utf8String(from: offset, count: count) else { throw RecordDamage("invalid UTF-8 in a stored string") }
        return text
    }

    /// Moves past one tagged value without decoding it (for readers that want one member).
    public mutating func skipValue(_ bytes: Span<UInt8>, depth: Int = 0) throws(RecordDamage) {
        guard depth <= 64 else { throw RecordDamage("value nested too deeply") }
        switch try byte(bytes) {
        case BinaryValueTag.null, BinaryValueTag.false, BinaryValueTag.true: return
        case BinaryValueTag.integer: _ = try varint(bytes)
        case BinaryValueTag.number:
            guard offset + 8 <= bytes.count else { throw RecordDamage("record ends early") }
            offset += 8
        case BinaryValueTag.string: offset += try length(bytes)
        case BinaryValueTag.array:
            for _ in 0 ..< (try length(bytes)) { try skipValue(bytes, depth: depth + 1) }
        case BinaryValueTag.object:
            for _ in 0 ..< (try length(bytes)) {
                offset += try length(bytes)
                try skipValue(bytes, depth: depth + 1)
            }
        case let tag:
            throw RecordDamage("unknown value tag \(tag)")
        }
    }

    public mutating func value(_ bytes: Span<UInt8>, depth: Int = 0) throws(RecordDamage) -> JSONValue {
        guard depth <= 64 else { throw RecordDamage("value nested too deeply") }
        switch try byte(bytes) {
        case BinaryValueTag.null: return .null
        case BinaryValueTag.false: return .bool(false)
        case BinaryValueTag.true: return .bool(true)
        case BinaryValueTag.integer: return .integer(try zigzag(bytes))
        case BinaryValueTag.number:
            guard offset + 8 <= bytes.count else { throw RecordDamage("record ends early") }
            var bits: UInt64 = 0
            for position in 0 ..< 8 { bits = bits << 8 | UInt64(bytes[offset + position]) }
            offset += 8
            // Only finite numbers are stored (docs/format.md §3); NaN and infinities have no JSON text.
            let number = Double(bitPattern: bits)
            guard number.isFinite else { throw RecordDamage("non-finite number") }
            return .number(number)
        case BinaryValueTag.string: return .string(try string(bytes))
        case BinaryValueTag.array:
            let count = try length(bytes)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for _ in 0 ..< count { elements.append(try value(bytes, depth: depth + 1)) }
            return .array(elements)
        case BinaryValueTag.object:
            let count = try length(bytes)
            var members = [String: JSONValue](minimumCapacity: count)
            for _ in 0 ..< count {
                let key = try string(bytes)
                members[key] = try value(bytes, depth: depth + 1)
            }
            guard members.count == count else { throw RecordDamage("duplicate key in a stored object") }
            return .object(members)
        case let tag:
            throw RecordDamage("unknown value tag \(tag)")
        }
    }
}
