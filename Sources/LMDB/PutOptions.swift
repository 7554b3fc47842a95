import CLMDB

/// How a value is written; mirrors the `mdb_put` flags.
package struct PutOptions: OptionSet, Sendable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with `MDB_KEYEXIST` instead of replacing an existing key.
    package static let noOverwrite = PutOptions(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key sorts after every existing key: LMDB skips the search (bulk loading).
    package static let append = PutOptions(rawValue: UInt32(MDB_APPEND))
    /// The duplicate sorts after every existing duplicate of its key.
    package static let appendDuplicate = PutOptions(rawValue: UInt32(MDB_APPENDDUP))
    /// Fail with `MDB_KEYEXIST` when this exact key/value pair exists.
    package static let noDuplicateData = PutOptions(rawValue: UInt32(MDB_NODUPDATA))
}
