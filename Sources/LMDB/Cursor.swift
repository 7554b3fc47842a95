import CLMDB

/// A position in one database. Cursors are lent by `Transaction.withCursor` and closed when
/// that closure ends, so they never outlive their transaction.
public final class Cursor {
    private let pointer: OpaquePointer
    /// The database this cursor walks.
    public let database: Database
    @exclusivity(unchecked) private var currentKey = MDB_val()
    @exclusivity(unchecked) private var currentValue = MDB_val()

    init(pointer: OpaquePointer, database: Database) {
        self.pointer = pointer
        self.database = database
    }

    /// Moves the cursor. `key` (and `value`, for `getBoth`/`getBothRange`) are the search
    /// arguments of the positioning operations. Returns false when there is no such entry.
    public func move(_ operation: CursorOperation, key: [UInt8]? = nil, value: [UInt8]? = nil) throws(LMDBError) -> Bool {
        let code: Int32
        if key == nil && value == nil {
            code = mdb_cursor_get(pointer, &currentKey, &currentValue, operation.raw)
        } else {
            let searchKey = key ?? []
            let searchValue = value ?? []
            code = searchKey.withUnsafeBytes { rawKey in
                searchValue.withUnsafeBytes { rawValue in
                    var keyValue = MDB_val(mv_size: rawKey.count, mv_data: UnsafeMutableRawPointer(mutating: rawKey.baseAddress))
                    var dataValue = MDB_val(mv_size: rawValue.count, mv_data: UnsafeMutableRawPointer(mutating: rawValue.baseAddress))
                    let result = mdb_cursor_get(pointer, &keyValue, &dataValue, operation.raw)
                    if result != 0 { return result }
                    // Re-read so both values point into the map, not into the search arrays.
                    return mdb_cursor_get(pointer, &currentKey, &currentValue, MDB_GET_CURRENT)
                }
            }
        }
        if code == MDB_NOTFOUND { return false }
        try LMDBError.check(code, "move cursor on \(database.name)")
        return true
    }

    /// Lends the current key and value to `body`.
    public func withCurrent<T>(_ body: (_ key: Span<UInt8>, _ value: Span<UInt8>) throws -> T) rethrows -> T {
        try currentKey.withSpan { key in
            try currentValue.withSpan { value in try body(key, value) }
        }
    }

    /// Lends the current value to `body`.
    public func withCurrentValue<T>(_ body: (_ value: Span<UInt8>) throws -> T) rethrows -> T {
        try currentValue.withSpan(body)
    }

    /// Looks up the current value as a key of another database (an index entry pointing at a
    /// record) and lends what it finds to `body`, without copying the key. Nil when absent.
    public func followCurrentValue<T>(
        into database: Database, of transaction: Transaction, _ body: (Span<UInt8>) throws -> T
    ) throws -> T? {
        var key = currentValue
        var found = MDB_val()
        let code = mdb_get(transaction.pointer, database.handle, &key, &found)
        if code == MDB_NOTFOUND { return nil }
        try LMDBError.check(code, "read from \(database.name)")
        return try found.withSpan(body)
    }

    /// The number of duplicates of the current key (1 for databases without duplicates).
    public func duplicateCount() throws(LMDBError) -> Int {
        var count: Int = 0
        try LMDBError.check(mdb_cursor_count(pointer, &count), "count duplicates in \(database.name)")
        return count
    }
}
