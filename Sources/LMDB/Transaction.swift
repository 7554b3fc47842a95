import CLMDB

/// A read-only snapshot of the environment. It is lent only to the closure of `Environment.read`
/// (or as the base of a `WriteTransaction`); values it hands out are borrowed `Span`s that
/// cannot escape. A transaction kept past its closure is refused: once LMDB's handle is
/// committed or aborted, every entry point throws `LMDBError.usedAfterEndCode`.
package class Transaction {
    let pointer: OpaquePointer
    /// The environment this snapshot belongs to.
    package let environment: Environment
    /// Set where LMDB's handle is committed or aborted (`markFinished`); checked by every entry point.
    final var isFinished = false
    /// The map region read last in each database (`MapResidency`), by handle: a walk, or
    /// lookups in key order, stay in one region for 2 MiB of values even when they alternate
    /// between databases or open a cursor a lookup.
    private final var lastRegions = [UInt](repeating: .max, count: MapResidency.regionSlots)

    init(pointer: OpaquePointer, environment: Environment) {
        self.pointer = pointer
        self.environment = environment
    }

    /// The id of the committed transaction this snapshot reads (`mdb_txn_id`): two read
    /// transactions with the same id read the very same pages, whatever thread holds them.
    package func snapshotID() throws(LMDBError) -> UInt64 {
        try checkOpen("read the snapshot's id")
        return UInt64(mdb_txn_id(pointer))
    }

    /// Opens an existing named database. Handles opened in a committed transaction stay valid.
    package func openDatabase(_ name: String) throws(LMDBError) -> Database {
        try checkOpen("open database \(name)")
        var handle: MDB_dbi = 0
        try LMDBError.check(mdb_dbi_open(pointer, name, 0, &handle), "open database \(name)")
        return Database(handle: handle, name: name)
    }

    /// Reads the value stored under `key`, lending it to `body` without copying.
    /// Returns nil when the key is absent.
    package func value<T>(
        in database: Database, forKey key: [UInt8], _ body: (Span<UInt8>) throws -> T
    ) throws -> T? {
        guard let found = try key.withUnsafeBytes({ try lookUp(rawKey: $0, in: database) }) else { return nil }
        return try found.withSpan(body)
    }

    /// Reads the value stored under the UTF-8 bytes of `key`, lending it to `body`.
    package func value<T>(in database: Database, forKey key: String, _ body: (Span<UInt8>) throws -> T) throws -> T? {
        var text = key
        guard let found = try text.withUTF8({ try lookUp(rawKey: UnsafeRawBufferPointer($0), in: database) }) else { return nil }
        return try found.withSpan(body)
    }

    /// `mdb_get`: the value's location in the map, valid for this transaction, or nil.
    private func lookUp(rawKey: UnsafeRawBufferPointer, in database: Database) throws(LMDBError) -> MDB_val? {
        try checkOpen("read from \(database.name)")
        var found = MDB_val()
        var keyValue = MDB_val(mv_size: rawKey.count, mv_data: UnsafeMutableRawPointer(mutating: rawKey.baseAddress))
        let code = mdb_get(pointer, database.handle, &keyValue, &found)
        if code == MDB_NOTFOUND { return nil }
        try LMDBError.check(code, "read from \(database.name)")
        noteRead(found, in: database)
        return found
    }

    /// Copies the value stored under `key`, for callers that need to keep it.
    package func bytes(in database: Database, forKey key: [UInt8]) throws -> [UInt8]? {
        try value(in: database, forKey: key) { span in span.copiedBytes() }
    }

    /// Lends a cursor over `database` to `body`, closing it afterwards; a cursor `body` kept is
    /// refused from then on.
    package func withCursor<T>(_ database: Database, _ body: (Cursor) throws -> T) throws -> T {
        try checkOpen("open cursor on \(database.name)")
        var cursorPointer: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(pointer, database.handle, &cursorPointer), "open cursor on \(database.name)")
        let cursor = Cursor(pointer: cursorPointer!, database: database, transaction: self)
        defer {
            cursor.isClosed = true
            mdb_cursor_close(cursorPointer)
        }
        return try body(cursor)
    }

    /// The number of entries (for duplicate-sorted databases, of key/value pairs).
    package func entryCount(_ database: Database) throws(LMDBError) -> Int {
        try checkOpen("stat \(database.name)")
        var stat = MDB_stat()
        try LMDBError.check(mdb_stat(pointer, database.handle, &stat), "stat \(database.name)")
        return stat.ms_entries
    }

    /// Counts the map regions `value` (just lent by LMDB from `database`) enters.
    @inline(__always)
    final func noteRead(_ value: MDB_val, in database: Database) {
        environment.noteRead(value, after: &lastRegions[Int(database.handle) % MapResidency.regionSlots])
    }

    /// Throws when LMDB's handle is gone: the transaction was kept past its closure.
    @inline(__always)
    final func checkOpen(_ operation: @autoclosure () -> String) throws(LMDBError) {
        if isFinished { throw LMDBError.usedAfterEnd("transaction", operation()) }
    }

    /// Marks the transaction (and, for a writer, its append cursors) ended; called right where
    /// LMDB's handle is committed or aborted, which also frees the handle's cursors.
    func markFinished() {
        isFinished = true
    }

    func abortIfOpen() {
        if !isFinished {
            markFinished()
            mdb_txn_abort(pointer)
        }
    }
}

extension MDB_val {
    /// Lends the bytes this value points at as a span; valid only for the transaction's life.
    func withSpan<T>(_ body: (Span<UInt8>) throws -> T) rethrows -> T {
        let buffer = UnsafeBufferPointer(start: mv_data?.assumingMemoryBound(to: UInt8.self), count: mv_size)
        return try body(Span(_unsafeElements: buffer))
    }
}
