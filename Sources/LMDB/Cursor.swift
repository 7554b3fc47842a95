import CLMDB

/// A position in one database. Cursors are lent by `Transaction.withCursor` and closed when
/// that closure ends; one kept past it (or past its transaction) refuses every use.
package final class Cursor {
    private let pointer: OpaquePointer
    /// The database this cursor walks.
    package let database: Database
    /// The transaction the cursor belongs to, whose end also ends the cursor.
    private let transaction: Transaction
    /// Set by `Transaction.withCursor` where it closes LMDB's cursor.
    var isClosed = false
    @exclusivity(unchecked) private var currentKey = MDB_val()
    @exclusivity(unchecked) private var currentValue = MDB_val()

    init(pointer: OpaquePointer, database: Database, transaction: Transaction) {
        self.pointer = pointer
        self.database = database
        self.transaction = transaction
    }

    /// False once the cursor's closure or its transaction has ended.
    private var isOpen: Bool { !isClosed && !transaction.isFinished }

    /// Throws when LMDB's cursor is gone: the cursor was kept past its closure.
    @inline(__always)
    private func checkOpen(_ operation: @autoclosure () -> String) throws(LMDBError) {
        if !isOpen { throw LMDBError.usedAfterEnd("cursor", operation()) }
    }

    /// Traps where an entry point cannot throw: the current key and value point into pages the
    /// ended transaction no longer protects.
    @inline(__always)
    private func requireOpen() {
        precondition(isOpen, "LMDB cursor on \(database.name) used after its closure ended")
    }

    /// Moves the cursor. `key` (and `value`, for `getBoth`/`getBothRange`) are the search
    /// arguments of the positioning operations. Returns false when there is no such entry.
    package func move(_ operation: CursorOperation, key: [UInt8]? = nil, value: [UInt8]? = nil) throws(LMDBError) -> Bool {
        try checkOpen("move cursor on \(database.name)")
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
        transaction.noteRead(currentKey, in: database)
        transaction.noteRead(currentValue, in: database)
        return true
    }

    /// Lends the current key and value to `body`. Traps when the cursor's closure has ended.
    package func withCurrent<T>(_ body: (_ key: Span<UInt8>, _ value: Span<UInt8>) throws -> T) rethrows -> T {
        requireOpen()
        return try currentKey.withSpan { key in
            try currentValue.withSpan { value in try body(key, value) }
        }
    }

    /// Lends the current value to `body`. Traps when the cursor's closure has ended.
    package func withCurrentValue<T>(_ body: (_ value: Span<UInt8>) throws -> T) rethrows -> T {
        requireOpen()
        return try currentValue.withSpan(body)
    }

    /// Looks up the current value as a key of another database (an index entry pointing at a
    /// record) and lends what it finds to `body`, without copying the key. Nil when absent.
    package func followCurrentValue<T>(
        into database: Database, of transaction: Transaction, _ body: (Span<UInt8>) throws -> T
    ) throws -> T? {
        try checkOpen("read from \(database.name)")
        try transaction.checkOpen("read from \(database.name)")
        var key = currentValue
        var found = MDB_val()
        let code = mdb_get(transaction.pointer, database.handle, &key, &found)
        if code == MDB_NOTFOUND { return nil }
        try LMDBError.check(code, "read from \(database.name)")
        transaction.noteRead(found, in: database)
        return try found.withSpan(body)
    }

    /// The number of duplicates of the current key (1 for databases without duplicates).
    package func duplicateCount() throws(LMDBError) -> Int {
        try checkOpen("count duplicates in \(database.name)")
        var count: Int = 0
        try LMDBError.check(mdb_cursor_count(pointer, &count), "count duplicates in \(database.name)")
        return count
    }
}
