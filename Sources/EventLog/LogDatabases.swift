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
