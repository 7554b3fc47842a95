import LMDB

/// The named LMDB databases of a ledger (docs/format.md describes each).
struct LogDatabases: Sendable {
    /// seq (8 bytes, big-endian) → chain hash (32 bytes) ‖ record.
    let events: Database
    /// participant → seq (8 bytes, big-endian), duplicates sorted: one stream per participant.
    let byParticipant: Database
    /// id → seq: the idempotency keys.
    let ids: Database
    /// Format marker and creation time.
    let meta: Database

    static let names = ["events", "by_participant", "ids", "meta"]

    init(_ databases: [Database]) {
        events = databases[0]
        byParticipant = databases[1]
        ids = databases[2]
        meta = databases[3]
    }

    static func options(for name: String) -> DatabaseOptions {
        name == "by_participant" ? [.create, .duplicateSort, .duplicateFixed] : [.create]
    }
}

/// Big-endian seq keys sort in numeric order under LMDB's byte comparison.
enum SeqKey {
    static func encode(_ seq: UInt64) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 8)
        for index in 0 ..< 8 { key[index] = UInt8(truncatingIfNeeded: seq >> UInt64(56 - 8 * index)) }
        return key
    }

    /// Writes the key of `seq` into an 8-byte buffer, reusing it.
    static func write(_ seq: UInt64, into key: inout [UInt8]) {
        for index in 0 ..< 8 { key[index] = UInt8(truncatingIfNeeded: seq >> UInt64(56 - 8 * index)) }
    }

    static func decode(_ bytes: Span<UInt8>) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        var value: UInt64 = 0
        for index in 0 ..< 8 { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}
