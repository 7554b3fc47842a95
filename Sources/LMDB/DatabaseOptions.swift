import CLMDB

/// How a named database is opened; mirrors the `mdb_dbi_open` flags a log needs.
package struct DatabaseOptions: OptionSet, Sendable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Create the database when it does not exist (write transactions only).
    package static let create = DatabaseOptions(rawValue: UInt32(MDB_CREATE))
    /// Several sorted values per key, used for secondary indexes.
    package static let duplicateSort = DatabaseOptions(rawValue: UInt32(MDB_DUPSORT))
    /// All duplicate values have one size, which lets LMDB pack them densely.
    package static let duplicateFixed = DatabaseOptions(rawValue: UInt32(MDB_DUPFIXED))
}
