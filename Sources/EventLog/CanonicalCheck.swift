import LMDB

/// Whether a stored record is in canonical form, read in place: `verify`'s fast path for the
/// check "the record decodes and `EventRecord.encode` of it gives back exactly its bytes",
/// without building a `StoredEvent` or re-encoding it (that cost `verify` about 40 % of its
/// time, docs/performance.md).
///
/// One-sided by design: `true` means the record decodes and re-encodes to itself (the same
/// rules as `BinaryDecoder` and `BinaryEncoder`, written out); `false` means "not shown" —
/// the caller then runs the decoder and the encoder, which name the damage. What it cannot
/// settle cheaply it leaves to them: an object of two or more members with a non-ASCII key
/// (two different byte strings can be one Swift `String`, U+212A and "K", so the decoder's
/// duplicate check is not a byte comparison). `CanonicalCheckTests` hold it to the slow path.
enum CanonicalCheck {
    /// Whether the record in `bytes[start ..< end]` (after the chain hash) is canonical.
    static func isCanonical(_ bytes: Span<UInt8>, recordAt start: Int, end: Int) -> Bool {
        guard start >= 0, start < end, end <= bytes.count else { return false }
        var reader = Reader(position: start, end: end)
        guard reader.byte(bytes) == EventRecord.version,
              reader.varint(bytes) != nil,   // seq
              reader.varint(bytes) != nil,   // recorded_at (zigzag: every minimal varint is one value)
              reader.string(bytes),          // id
              reader.varint(bytes) != nil,   // at
              reader.string(bytes),          // type
              reader.string(bytes),          // stream
              reader.string(bytes)           // actor
        else { return false }
        // The data is an object, and nothing follows it.
        guard reader.position < end, bytes[reader.position] == BinaryValueTag.object else { return false }
        return reader.value(bytes, depth: 0) && reader.position == end
    }

    /// A cursor over one record that answers "canonical so far" at each step (nil or false
    /// otherwise); it never reads outside `position ..< end`.
    private struct Reader {
        var position: Int
        let end: Int

        mutating func byte(_ bytes: Span<UInt8>) -> UInt8? {
            guard position < end else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        /// A minimal LEB128 varint of at most 64 bits (the decoder also reads longer forms of
        /// the same number, which the encoder never writes).
        mutating func varint(_ bytes: Span<UInt8>) -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            // At most 10 bytes: 64 bits in groups of 7.
            for index in 0 ..< 10 {
                guard let next = byte(bytes) else { return nil }
                if shift == 63 && next > 1 { return nil }
                result |= UInt64(next & 0x7F) << shift
                if next & 0x80 == 0 {
                    // A last byte of zero after others is a longer form of a shorter varint.
                    return index > 0 && next == 0 ? nil : result
                }
                shift += 7
            }
            return nil
        }

        /// A length or count: a minimal varint no larger than the bytes left (the decoder's rule).
        mutating func length(_ bytes: Span<UInt8>) -> Int? {
            guard let raw = varint(bytes), raw <= UInt64(end - position) else { return nil }
            return Int(raw)
        }

        /// A length-prefixed string of valid UTF-8 (the encoder writes a `String`'s bytes as
        /// they are, so valid UTF-8 comes back unchanged).
        mutating func string(_ bytes: Span<UInt8>) -> Bool { text(bytes) != nil }

        /// As `string`: where its bytes are and whether they are all ASCII (nil when it is not
        /// a valid string).
        mutating func text(_ bytes: Span<UInt8>) -> (range: Range<Int>, isASCII: Bool)? {
            guard let count = length(bytes) else { return nil }
            let range = position ..< position + count
            position = range.upperBound
            for index in range where bytes[index] >= 0x80 {
                // Rare in stored records: the decoder's own validation decides.
                return bytes.utf8String(from: range.lowerBound, count: count) == nil ? nil : (range, false)
            }
            return (range, true)
        }

        /// One tagged value, nested at `depth` (the decoder refuses depths beyond 64).
        mutating func value(_ bytes: Span<UInt8>, depth: Int) -> Bool {
            guard depth <= 64, let tag = byte(bytes) else { return false }
            switch tag {
            case BinaryValueTag.null, BinaryValueTag.false, BinaryValueTag.true:
                return true
            case BinaryValueTag.integer:
                return varint(bytes) != nil
            case BinaryValueTag.number:
                guard end - position >= 8 else { return false }
                var bits: UInt64 = 0
                for index in position ..< position + 8 { bits = bits << 8 | UInt64(bytes[index]) }
                position += 8
                // Only finite numbers decode; their bits are written back as they are.
                return Double(bitPattern: bits).isFinite
            case BinaryValueTag.string:
                return string(bytes)
            case BinaryValueTag.array:
                guard let count = length(bytes) else { return false }
                for _ in 0 ..< count {
                    guard value(bytes, depth: depth + 1) else { return false }
                }
                return true
            case BinaryValueTag.object:
                return object(bytes, depth: depth)
            default:
                return false
            }
        }

        /// An object's members: the encoder writes them in ascending UTF-8 order of their keys,
        /// so keys must rise strictly (which also rules out duplicates among ASCII keys).
        mutating func object(_ bytes: Span<UInt8>, depth: Int) -> Bool {
            guard let count = length(bytes) else { return false }
            var previousKey: Range<Int>?
            for _ in 0 ..< count {
                guard let (key, isASCII) = text(bytes) else { return false }
                if count > 1 {
                    // A non-ASCII key may equal another as a `String`: left to the decoder.
                    guard isASCII else { return false }
                    if let previousKey, !Self.precedes(bytes, previousKey, key) { return false }
                }
                previousKey = key
                guard value(bytes, depth: depth + 1) else { return false }
            }
            return true
        }

        /// Whether the bytes in `left` sort strictly before those in `right` (UTF-8 order, a
        /// prefix first).
        static func precedes(_ bytes: Span<UInt8>, _ left: Range<Int>, _ right: Range<Int>) -> Bool {
            let shared = min(left.count, right.count)
            for offset in 0 ..< shared {
                let a = bytes[left.lowerBound + offset], b = bytes[right.lowerBound + offset]
                if a != b { return a < b }
            }
            return left.count < right.count
        }
    }
}
