import LMDB

/// A fingerprint of a set of (key, seq) pairs, the same whatever order they are added in:
/// two 64-bit sums of SipHash-1-3 (Swift's `Hasher`, seeded at random in every process),
/// one per salt. `verify` adds each record's (stream, seq) and (id, seq) as it walks the
/// chain, then walks each index once in its own order: equal fingerprints and equal entry
/// counts mean the index holds exactly the records' entries (two different sets agree with
/// a chance of about 2⁻¹²⁸, and the seed is unknown to whoever damaged the store). It
/// replaces two random index lookups per event with two sequential walks.
struct IndexFingerprint: Equatable {
    private var first: UInt64 = 0
    private var second: UInt64 = 0
    private(set) var count = 0

    mutating func add(_ key: String, seq: UInt64) {
        var one = Self.hasher(salt: 1)
        var two = Self.hasher(salt: 2)
        var word: UInt64 = 0
        var filled = 0
        for byte in key.utf8 {
            word |= UInt64(byte) << UInt64(filled * 8)
            filled += 1
            if filled == 8 {
                one.combine(word)
                two.combine(word)
                word = 0
                filled = 0
            }
        }
        finish(&one, &two, word: word, length: key.utf8.count, seq: seq)
    }

    mutating func add(_ key: Span<UInt8>, seq: UInt64) {
        var one = Self.hasher(salt: 1)
        var two = Self.hasher(salt: 2)
        var word: UInt64 = 0
        var filled = 0
        for index in 0 ..< key.count {
            word |= UInt64(key[index]) << UInt64(filled * 8)
            filled += 1
            if filled == 8 {
                one.combine(word)
                two.combine(word)
                word = 0
                filled = 0
            }
        }
        finish(&one, &two, word: word, length: key.count, seq: seq)
    }

    private mutating func finish(_ one: inout Hasher, _ two: inout Hasher, word: UInt64, length: Int, seq: UInt64) {
        // The length too, so that keys differing only by trailing zero bytes differ.
        one.combine(word)
        one.combine(length)
        one.combine(seq)
        two.combine(word)
        two.combine(length)
        two.combine(seq)
        first &+= UInt64(bitPattern: Int64(one.finalize()))
        second &+= UInt64(bitPattern: Int64(two.finalize()))
        count += 1
    }

    private static func hasher(salt: UInt8) -> Hasher {
        var hasher = Hasher()
        hasher.combine(salt)
        return hasher
    }
}
