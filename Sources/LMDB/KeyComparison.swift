@preconcurrency import Glibc

/// How a tree orders its keys, from its database flags: LMDB's comparison functions
/// (`mdb_cmp_memn`, `mdb_cmp_memnr`, and the integer ones for `MDB_INTEGERKEY`).
enum KeyComparison {
    /// Bytes compared with `memcmp`, then the shorter first (the default).
    case bytes
    /// Bytes compared from the last one backwards, then the shorter first (`MDB_REVERSEKEY`).
    case reversedBytes
    /// Unsigned native (little-endian) integers of one size (`MDB_INTEGERKEY`, the free
    /// database's transaction ids).
    case integer

    init(flags: UInt16, integer: UInt16, reversed: UInt16) {
        if flags & integer != 0 {
            self = .integer
        } else if flags & reversed != 0 {
            self = .reversedBytes
        } else {
            self = .bytes
        }
    }

    /// Negative, zero or positive as `lhs` sorts before, with or after `rhs`; nil for integer
    /// keys of different or odd sizes, which LMDB cannot compare.
    func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int? {
        switch self {
        case .bytes:
            let common = min(lhs.count, rhs.count)
            // Safety: both buffers hold at least `common` bytes.
            let order = common == 0 ? 0 : Int(memcmp(lhs.baseAddress!, rhs.baseAddress!, common))
            return order != 0 ? order : lhs.count - rhs.count
        case .reversedBytes:
            // Safety: both indices stay within their buffers (they only decrease, from `count`).
            var left = lhs.count
            var right = rhs.count
            while left > 0 && right > 0 {
                left -= 1
                right -= 1
                if lhs[left] != rhs[right] { return Int(lhs[left]) - Int(rhs[right]) }
            }
            return lhs.count - rhs.count
        case .integer:
            guard lhs.count == rhs.count, lhs.count > 0, lhs.count % 2 == 0 else { return nil }
            // Safety: both buffers hold `lhs.count` bytes (checked above).
            var index = lhs.count
            while index > 0 {
                index -= 1
                if lhs[index] != rhs[index] { return Int(lhs[index]) - Int(rhs[index]) }
            }
            return 0
        }
    }
}
