import CLMDB

/// The single writer's transaction. It is lent only to the closure of `Environment.write`, which
/// commits it when the closure returns and aborts it when the closure throws, on the thread that
/// began it; kept past that, it and its append cursors refuse every use.
package final class WriteTransaction: Transaction {
    /// Opens a named database, creating it when asked; the handle stays valid after commit.
    package func openDatabase(_ name: String, options: DatabaseOptions) throws(LMDBError) -> Database {
        try checkOpen("open database \(name)")
        var handle: MDB_dbi = 0
        try LMDBError.check(mdb_dbi_open(pointer, name, options.rawValue, &handle), "open database \(name)")
        return Database(handle: handle, name: name)
    }

    /// Stores `value` under `key`. Returns false (and writes nothing) when the options forbid
    /// overwriting and the key or pair already exists.
    @discardableResult
    package func put(_ value: [UInt8], forKey key: [UInt8], in database: Database, options: PutOptions = []) throws -> Bool {
        try key.withUnsafeBytes { rawKey in try put(value, rawKey: rawKey, in: database, options: options) }
    }

    /// Stores `value` under the UTF-8 bytes of `key`, without copying the key into an array.
    @discardableResult
    package func put(_ value: [UInt8], forKey key: String, in database: Database, options: PutOptions = []) throws -> Bool {
        var text = key
        return try text.withUTF8 { utf8 in
            try put(value, rawKey: UnsafeRawBufferPointer(utf8), in: database, options: options)
        }
    }

    private func put(_ value: [UInt8], rawKey: UnsafeRawBufferPointer, in database: Database, options: PutOptions) throws(LMDBError) -> Bool {
        try checkOpen("write to \(database.name)")
        let code = value.withUnsafeBytes { rawValue in
            var keyValue = MDB_val(mv_size: rawKey.count, mv_data: UnsafeMutableRawPointer(mutating: rawKey.baseAddress))
            var dataValue = MDB_val(mv_size: rawValue.count, mv_data: UnsafeMutableRawPointer(mutating: rawValue.baseAddress))
            return mdb_put(pointer, database.handle, &keyValue, &dataValue, options.rawValue)
        }
        if code == MDB_KEYEXIST { return false }
        try LMDBError.check(code, "write to \(database.name)")
        return true
    }

    private var appendCursors: [MDB_dbi: AppendCursor] = [:]

    /// The transaction's append cursor on `database`, opened on first use and closed by LMDB
    /// when the transaction ends (it is refused after that).
    package func appendCursor(for database: Database) throws(LMDBError) -> AppendCursor {
        try checkOpen("open cursor on \(database.name)")
        if let cursor = appendCursors[database.handle] { return cursor }
        var cursorPointer: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(pointer, database.handle, &cursorPointer), "open cursor on \(database.name)")
        let cursor = AppendCursor(pointer: cursorPointer!, database: database)
        appendCursors[database.handle] = cursor
        return cursor
    }

    /// Removes `key` and its value; false when there was no such key. Meant for derived data
    /// (projections); the log layer never removes an event.
    @discardableResult
    package func removeValue(forKey key: [UInt8], in database: Database) throws(LMDBError) -> Bool {
        try checkOpen("remove from \(database.name)")
        let code = key.withUnsafeBytes { rawKey in
            var keyValue = MDB_val(mv_size: rawKey.count, mv_data: UnsafeMutableRawPointer(mutating: rawKey.baseAddress))
            return mdb_del(pointer, database.handle, &keyValue, nil)
        }
        if code == MDB_NOTFOUND { return false }
        try LMDBError.check(code, "remove from \(database.name)")
        return true
    }

    /// Removes every entry of a database while keeping it open. Meant for derived data
    /// (projections) that can be recomputed; the log layer never calls it on events.
    /// Entry by entry from the first, not `mdb_drop`: that one reads every branch page,
    /// scattered over the file, without lending any, and each read maps a large page-cache
    /// folio (15–75 MiB resident for a 131 MiB database, measured). Emptying from the left reads
    /// the pages in order, LMDB reuses each emptied page's copy for the next, and the map's
    /// residency is checked every `entriesBetweenResidencyChecks` entries (the values lie in
    /// the transaction's own copies, which the read notes cannot see).
    package func removeAllEntries(_ database: Database) throws(LMDBError) {
        try checkOpen("empty \(database.name)")
        let entries = try entryCount(database)
        var cursorPointer: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(pointer, database.handle, &cursorPointer), "open cursor on \(database.name)")
        defer { mdb_cursor_close(cursorPointer) }
        // Safety: the cursor is this transaction's and is closed above, before the transaction
        // can end; `key` and `value` are never read.
        var key = MDB_val()
        var value = MDB_val()
        // Bounded by the count read above: one key (with all its duplicates) goes each turn.
        for removed in 0 ... entries {
            let code = mdb_cursor_get(cursorPointer, &key, &value, MDB_FIRST)
            if code == MDB_NOTFOUND { return }
            try LMDBError.check(code, "read \(database.name)")
            try LMDBError.check(mdb_cursor_del(cursorPointer, UInt32(MDB_NODUPDATA)), "empty \(database.name)")
            if removed % Self.entriesBetweenResidencyChecks == 0 { environment.checkResidency() }
        }
        throw LMDBError(code: MDB_CORRUPTED, operation: "empty \(database.name): more entries than its count of \(entries)")
    }

    /// Entries emptied between two looks at the map's residency: a few pages of the file
    /// (a statm read costs about a microsecond, an entry's removal about as much).
    static let entriesBetweenResidencyChecks = 8

    /// LMDB closes a write transaction's cursors when it commits or aborts: so are ours.
    override func markFinished() {
        super.markFinished()
        for cursor in appendCursors.values { cursor.isClosed = true }
        appendCursors = [:]
    }

    func commit() throws(LMDBError) {
        markFinished()
        try LMDBError.check(mdb_txn_commit(pointer), "commit")
    }
}
