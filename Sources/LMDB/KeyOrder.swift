import CLMDB
@preconcurrency import Glibc

/// LMDB's default key order (bytes compared with `memcmp`, then the shorter first), for
/// callers that must know where a key falls before writing it (to append at the end of a
/// database without a search).
package enum KeyOrder {
    /// Whether the UTF-8 bytes of `lhs` sort before those of `rhs` in LMDB's default order.
    package static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs
        var right = rhs
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                let common = min(leftBytes.count, rightBytes.count)
                let order = common == 0 ? 0 : memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, common)
                return order < 0 || (order == 0 && leftBytes.count < rightBytes.count)
            }
        }
    }

    /// Whether the bytes `lhs` sort before `rhs` in LMDB's default order.
    package static func precedes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.lexicographicallyPrecedes(rhs)
    }
}
