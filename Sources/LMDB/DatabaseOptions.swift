import CLMDB

/// How a named database is opened; mirrors the `mdb_dbi_open` flags a log needs.
public struct DatabaseOptions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Create the database when it does not exist (write transactions only).
    public static let create = DatabaseOptions(rawValue: UInt32(MDB_CREATE))
    /// Several sorted values per key, used for secondary indexes.
    public static let duplicateSort = DatabaseOptions(rawValue: UInt32(MDB_DUPSORT))
    /// All duplicate values have one size, which lets LMDB pack them densely.
    public static let duplicateFixed = DatabaseOptions(rawValue: UInt32(MDB_DUPFIXED))
}
