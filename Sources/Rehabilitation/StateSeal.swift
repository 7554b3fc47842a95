import EventLog

/// A checksum sealing each stored participant state, so that a damaged projection byte is
/// found when the state is read (and the figures built on it are never printed) instead of
/// turning into a balance of billions. The projection is derived data: a broken seal is
/// mended by `recovery rebuild`. Eight bytes of FNV-1a (64 bits), little-endian, after the
/// state's bytes (docs/format.md §9).
enum StateSeal {
    static let byteCount = 8

    static func checksum(_ bytes: Span<UInt8>, count: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in 0 ..< count {
            hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Appends the seal of everything in `bytes`.
    static func seal(_ bytes: inout [UInt8]) {
        let hash = checksum(bytes.span, count: bytes.count)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: hash >> UInt64(shift))) }
    }

    /// The number of state bytes before a valid seal; throws when the seal does not match.
    static func contentCount(_ bytes: Span<UInt8>) throws(RecordDamage) -> Int {
        guard bytes.count > byteCount else { throw RecordDamage("the stored state is too short to hold its seal") }
        let count = bytes.count - byteCount
        var stored: UInt64 = 0
        for index in 0 ..< byteCount { stored |= UInt64(bytes[count + index]) << UInt64(8 * index) }
        guard stored == checksum(bytes, count: count) else { throw RecordDamage("the stored state does not match its seal") }
        return count
    }
}
