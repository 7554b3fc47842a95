import LMDB

/// The named LMDB databases of a ledger (docs/format.md describes each).
struct LogDatabases: Sendable {
    /// seq (8 bytes, big-endian) → chain hash (32 bytes) ‖ record.
    let events: Database
    /// stream → seq (8 bytes, big-endian), duplicates sorted: one entry per event of a stream.
    /// Its name on disk, `by_participant`, is part of format 1 and stays.
    let byStream: Database
    /// id → seq: the idempotency keys.
    let ids: Database
    /// Format marker and creation time.
    let meta: Database
    /// The Merkle tree's stored nodes (`MerkleStore`): completing leaf (8 bytes, big-endian) ‖
    /// level (1 byte) → hash. Nil in a format-1 store that has not been given its tree.
    let merkle: Database?

    /// The databases every format has, in the order `init` takes them.
    static let names = ["events", "by_participant", "ids", "meta"]
    /// The tree's database (format 2).
    static let merkleName = "merkle"

    init(_ databases: [Database], merkle: Database?) {
        events = databases[0]
        byStream = databases[1]
        ids = databases[2]
        meta = databases[3]
        self.merkle = merkle
    }

    static func options(for name: String) -> DatabaseOptions {
        name == "by_participant" ? [.create, .duplicateSort, .duplicateFixed] : [.create]
    }
}
