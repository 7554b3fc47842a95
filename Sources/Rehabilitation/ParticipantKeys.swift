import LMDB

/// Numbers participants by the UTF-8 bytes of their ids, as a rebuild meets them in stored
/// records: an open-addressing table over one byte arena, so that finding a participant's
/// state costs a hash of a few bytes and no `String` is made per event.
struct ParticipantKeys {
    /// Every key, back to back; key `i` is `arena[starts[i] ..< starts[i + 1]]`.
    private(set) var arena: [UInt8] = []
    private var starts: [Int] = [0]
    /// Key numbers by hash, −1 where empty; the count is a power of two at most half full.
    private var slots: [Int32]

    init(capacity: Int = 1024) {
        var slotCount = 16
        while slotCount < capacity * 2 { slotCount *= 2 }
        slots = Array(repeating: -1, count: slotCount)
        arena.reserveCapacity(capacity * 12)
        starts.reserveCapacity(capacity + 1)
    }

    /// The number of keys.
    var count: Int { starts.count - 1 }

    /// The bytes of key `index`.
    func key(_ index: Int) -> ArraySlice<UInt8> { arena[starts[index] ..< starts[index + 1]] }

    /// The key's number, adding it when new (`isNew`).
    mutating func number(of range: Range<Int>, in value: Span<UInt8>) -> (index: Int, isNew: Bool) {
        let hash = Self.hash(range, in: value)
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let found = Int(slots[slot])
            if found < 0 { break }
            if isKey(found, range, in: value) { return (found, false) }
            slot = (slot + 1) & mask
        }
        let index = count
        for position in range { arena.append(value[position]) }
        starts.append(arena.count)
        slots[slot] = Int32(index)
        if count * 2 > slots.count { grow() }
        return (index, true)
    }

    /// The number of `key`, adding it when new.
    mutating func number(of key: ArraySlice<UInt8>) -> Int {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let found = Int(slots[slot])
            if found < 0 { break }
            if self.key(found).elementsEqual(key) { return found }
            slot = (slot + 1) & mask
        }
        let index = count
        arena.append(contentsOf: key)
        starts.append(arena.count)
        slots[slot] = Int32(index)
        if count * 2 > slots.count { grow() }
        return index
    }

    private func isKey(_ index: Int, _ range: Range<Int>, in value: Span<UInt8>) -> Bool {
        let start = starts[index]
        guard starts[index + 1] - start == range.count else { return false }
        for offset in 0 ..< range.count where arena[start + offset] != value[range.lowerBound + offset] { return false }
        return true
    }

    /// Key numbers in the byte order of the keys (LMDB's key order).
    func indicesInKeyOrder() -> [Int] {
        (0 ..< count).sorted { key($0).lexicographicallyPrecedes(key($1)) }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for index in 0 ..< count {
            var slot = Self.hash(key(index)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// FNV-1a over the bytes: participant ids are short, so a byte loop is cheaper than
    /// seeding a `Hasher`.
    private static func hash(_ range: Range<Int>, in value: Span<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for position in range { hash = (hash ^ UInt64(value[position])) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    private static func hash(_ bytes: ArraySlice<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
