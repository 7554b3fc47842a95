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
        let bytes = Array(key.utf8)
        add(bytes.span, bytes.indices, seq: seq)
    }

    mutating func add(_ key: Span<UInt8>, seq: UInt64) {
        add(key, 0 ..< key.count, seq: seq)
    }

    /// Adds the key held in `bytes[range]` (a record's stream or id, read in place).
    mutating func add(_ bytes: Span<UInt8>, _ range: Range<Int>, seq: UInt64) {
        // Copies of hashers seeded and salted once: an entry costs no hasher set-up. The key
        // goes in in one call (the hasher takes it 8 bytes at a time), then its length, so
        // that keys differing only by trailing zero bytes differ, then the seq.
        var one = Self.salted.one
        var two = Self.salted.two
        one.combine(bytes, range)
        two.combine(bytes, range)
        one.combine(range.count)
        one.combine(seq)
        two.combine(range.count)
        two.combine(seq)
        first &+= UInt64(bitPattern: Int64(one.finalize()))
        second &+= UInt64(bitPattern: Int64(two.finalize()))
        count += 1
    }

    /// Adds every entry of `other` (made in this process: the salts are the same): sums commute,
    /// so entries fingerprinted on several cores make the print of one walk.
    mutating func merge(_ other: IndexFingerprint) {
        first &+= other.first
        second &+= other.second
        count += other.count
    }

    fileprivate static let salted = (one: hasher(salt: 1), two: hasher(salt: 2))

    private static func hasher(salt: UInt8) -> Hasher {
        var hasher = Hasher()
        hasher.combine(salt)
        return hasher
    }
}

/// What the two indexes must hold, gathered from the records: (stream, seq) and (id, seq).
struct IndexPrints: Equatable {
    var stream = IndexFingerprint()
    var id = IndexFingerprint()

    /// Adds a record read in place (`value` is what `layout` was made from).
    mutating func add(_ value: Span<UInt8>, _ layout: EventLayout) {
        stream.add(value, layout.streamRange, seq: layout.seq)
        id.add(value, layout.idRange, seq: layout.seq)
    }

    mutating func merge(_ other: IndexPrints) {
        stream.merge(other.stream)
        id.merge(other.id)
    }

    /// A record that could not be read: the prints can no longer match any index.
    mutating func spoil() {
        stream.add("", seq: 0)
        id.add("", seq: 0)
    }
}
