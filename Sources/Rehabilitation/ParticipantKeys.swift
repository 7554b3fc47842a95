import LMDB

/// Numbers participants by the UTF-8 bytes of their ids, as a rebuild meets them in stored
/// records, and counts their events: an open-addressing table whose 32-byte entries hold a
/// key's first 16 bytes, its length, its number and its event count together, so that
/// finding a participant costs a hash of a few machine words and one cache line, with no
/// `String` made per event. Ids longer than 16 bytes are hashed whole and compared in full
/// against the byte arena.
struct ParticipantKeys {
    private struct Entry {
        /// The key's first 16 bytes as two little-endian words, zero-padded.
        var low: UInt64 = 0
        var high: UInt64 = 0
        var length: UInt32 = 0
        /// The key's number + 1; 0 where the entry is empty.
        var numberPlusOne: UInt32 = 0
        var events: UInt32 = 0
        /// The hash's high half, to tell most other keys apart by one comparison.
        var tag: UInt32 = 0
    }

    /// Every key, back to back; key `i` is `arena[starts[i] ..< starts[i + 1]]`.
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    /// Where key `i`'s entry is.
    private var entryOfKey: [Int] = []
    /// A power of two, at most five eighths full.
    private var entries: [Entry]

    init(capacity: Int = 1024) {
        var entryCount = 16
        while entryCount * 5 < capacity * 8 { entryCount *= 2 }
        entries = Array(repeating: Entry(), count: entryCount)
        arena.reserveCapacity(capacity * 12)
        starts.reserveCapacity(capacity + 1)
        entryOfKey.reserveCapacity(capacity)
    }

    /// The number of keys.
    var count: Int { starts.count - 1 }

    /// The bytes of key `index`.
    func key(_ index: Int) -> ArraySlice<UInt8> { arena[starts[index] ..< starts[index + 1]] }

    /// The events counted for key `index`.
    func eventCount(_ index: Int) -> Int { Int(entries[entryOfKey[index]].events) }

    /// Counts one event of the key in `range` of `value` and returns its number, adding the
    /// key when new (`isNew`).
    mutating func countEvent(of range: Range<Int>, in value: Span<UInt8>) -> (index: Int, isNew: Bool) {
        let (low, high, rest) = Self.words(count: range.count) { value[range.lowerBound + $0] }
        let hash = Self.hash(low, high, rest, range.count)
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        let mask = entries.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while entries[slot].numberPlusOne != 0 {
            let entry = entries[slot]
            if entry.tag == tag, entry.low == low, entry.high == high, Int(entry.length) == range.count {
                let found = Int(entry.numberPlusOne) - 1
                if range.count <= 16 || isKey(found, range, in: value) {
                    entries[slot].events += 1
                    return (found, false)
                }
            }
            slot = (slot + 1) & mask
        }
        let index = count
        for position in range { arena.append(value[position]) }
        add(index, low: low, high: high, length: range.count, tag: tag, at: slot, events: 1)
        return (index, true)
    }

    /// Takes back one event counted for key `index`.
    mutating func uncountEvent(_ index: Int) {
        entries[entryOfKey[index]].events -= 1
    }

    /// The number of `key`, adding it (with no events counted) when new.
    mutating func numberAdding(_ key: ArraySlice<UInt8>) -> Int {
        let slot = slot(of: key)
        if entries[slot].numberPlusOne != 0 { return Int(entries[slot].numberPlusOne) - 1 }
        let (low, high, rest) = Self.words(key)
        let index = count
        arena.append(contentsOf: key)
        add(index, low: low, high: high, length: key.count, tag: UInt32(truncatingIfNeeded: Self.hash(low, high, rest, key.count) >> 32),
            at: slot, events: 0)
        return index
    }

    /// Key numbers in the byte order of the keys (LMDB's key order).
    func indicesInKeyOrder() -> [Int] {
        // The first 16 bytes, big-endian, order most keys with two integer comparisons.
        let prefixes = entryOfKey.map { (entries[$0].low.byteSwapped, entries[$0].high.byteSwapped) }
        return (0 ..< count).sorted { left, right in
            let (leftLow, leftHigh) = prefixes[left]
            let (rightLow, rightHigh) = prefixes[right]
            if leftLow != rightLow { return leftLow < rightLow }
            if leftHigh != rightHigh { return leftHigh < rightHigh }
            return key(left).lexicographicallyPrecedes(key(right))
        }
    }

    /// Whether key `index` sorts before `other` in byte order.
    func precedes(_ index: Int, _ other: Span<UInt8>) -> Bool {
        let key = self.key(index)
        for (offset, byte) in key.enumerated() {
            guard offset < other.count else { return false }
            if byte != other[offset] { return byte < other[offset] }
        }
        return key.count < other.count
    }

    /// Whether key `index` is exactly `other`.
    func equals(_ index: Int, _ other: Span<UInt8>) -> Bool {
        isKey(index, 0 ..< other.count, in: other)
    }

    private mutating func add(_ index: Int, low: UInt64, high: UInt64, length: Int, tag: UInt32, at slot: Int, events: UInt32) {
        starts.append(arena.count)
        entries[slot] = Entry(low: low, high: high, length: UInt32(length), numberPlusOne: UInt32(index + 1), events: events, tag: tag)
        entryOfKey.append(slot)
        if count * 8 > entries.count * 5 { grow() }
    }

    private func isKey(_ index: Int, _ range: Range<Int>, in value: Span<UInt8>) -> Bool {
        let start = starts[index]
        guard starts[index + 1] - start == range.count else { return false }
        for offset in 0 ..< range.count where arena[start + offset] != value[range.lowerBound + offset] { return false }
        return true
    }

    /// The entry holding `key`, or the empty entry where it would go.
    private func slot(of key: ArraySlice<UInt8>) -> Int {
        let (low, high, rest) = Self.words(key)
        let mask = entries.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(low, high, rest, key.count)) & mask
        while entries[slot].numberPlusOne != 0, !self.key(Int(entries[slot].numberPlusOne) - 1).elementsEqual(key) {
            slot = (slot + 1) & mask
        }
        return slot
    }

    private mutating func grow() {
        let old = entries
        entries = Array(repeating: Entry(), count: old.count * 2)
        let mask = entries.count - 1
        for entry in old where entry.numberPlusOne != 0 {
            let (_, _, rest) = Self.words(key(Int(entry.numberPlusOne) - 1))
            var slot = Int(truncatingIfNeeded: Self.hash(entry.low, entry.high, rest, Int(entry.length))) & mask
            while entries[slot].numberPlusOne != 0 { slot = (slot + 1) & mask }
            entries[slot] = entry
            entryOfKey[Int(entry.numberPlusOne) - 1] = slot
        }
    }

    /// The key's first 16 bytes as two little-endian words, and the rest folded into a third;
    /// `byte(i)` is the key's byte `i`.
    private static func words(count: Int, _ byte: (Int) -> UInt8) -> (UInt64, UInt64, UInt64) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var rest: UInt64 = 0
        for position in 0 ..< count {
            let byte = UInt64(byte(position))
            if position < 8 { low |= byte << (8 * UInt64(position)) } else if position < 16 { high |= byte << (8 * UInt64(position - 8)) } else { rest = mix(rest ^ byte) }
        }
        return (low, high, rest)
    }

    private static func words(_ key: ArraySlice<UInt8>) -> (UInt64, UInt64, UInt64) {
        words(count: key.count) { key[key.startIndex + $0] }
    }

    /// Mixes the key's words and length with SplitMix64's finaliser, so every input bit
    /// reaches every output bit: ids that differ anywhere, also past their 16th byte, spread
    /// over the table.
    private static func hash(_ low: UInt64, _ high: UInt64, _ rest: UInt64, _ length: Int) -> UInt64 {
        mix(low ^ mix(high ^ mix(rest ^ UInt64(length))))
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var hash = value &+ 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}
