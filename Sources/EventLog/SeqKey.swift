import LMDB

/// Big-endian seq keys sort in numeric order under LMDB's byte comparison.
enum SeqKey {
    /// Bytes in a key: a 64-bit seq.
    static let size = 8

    static func encode(_ seq: UInt64) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: size)
        for index in 0 ..< 8 { key[index] = UInt8(truncatingIfNeeded: seq >> UInt64(56 - 8 * index)) }
        return key
    }

    /// Writes the key of `seq` into an 8-byte buffer, reusing it.
    static func write(_ seq: UInt64, into key: inout [UInt8]) {
        for index in 0 ..< 8 { key[index] = UInt8(truncatingIfNeeded: seq >> UInt64(56 - 8 * index)) }
    }

    static func decode(_ bytes: Span<UInt8>) -> UInt64? {
        guard bytes.count == size else { return nil }
        var value: UInt64 = 0
        for index in 0 ..< 8 { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}
