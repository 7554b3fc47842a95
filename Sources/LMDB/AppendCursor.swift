import CLMDB

/// A cursor that stays open for a whole write transaction to append at the end of one
/// database. With `MDB_APPEND` through a positioned cursor LMDB skips the walk from the root
/// for every put — the bulk of a large import's page lookups. LMDB closes it with the
/// transaction; it is only ever handed out by `WriteTransaction.appendCursor(for:)`, and one
/// kept past its transaction refuses every use.
package final class AppendCursor {
    private let pointer: OpaquePointer
    /// The database the cursor writes to.
    package let database: Database
    /// Set by `WriteTransaction.markFinished` where LMDB's transaction (and cursor) ends.
    var isClosed = false

    init(pointer: OpaquePointer, database: Database) {
        self.pointer = pointer
        self.database = database
    }

    /// Stores `value` under `key` (`mdb_cursor_put`). Returns false, writing nothing, when the
    /// options forbid it (`MDB_APPEND` with a key that does not sort last, `MDB_NOOVERWRITE`
    /// with a present key).
    @discardableResult
    package func put(_ value: [UInt8], forKey key: [UInt8], options: PutOptions) throws -> Bool {
        try key.withUnsafeBytes { rawKey in try put(value, rawKey: rawKey, options: options) }
    }

    /// Stores `value` under the UTF-8 bytes of `key`.
    @discardableResult
    package func put(_ value: [UInt8], forKey key: String, options: PutOptions) throws -> Bool {
        var text = key
        return try text.withUTF8 { utf8 in try put(value, rawKey: UnsafeRawBufferPointer(utf8), options: options) }
    }

    private func put(_ value: [UInt8], rawKey: UnsafeRawBufferPointer, options: PutOptions) throws(LMDBError) -> Bool {
        if isClosed { throw LMDBError.usedAfterEnd("append cursor", "append to \(database.name)") }
        let code = value.withUnsafeBytes { rawValue in
            var keyValue = MDB_val(mv_size: rawKey.count, mv_data: UnsafeMutableRawPointer(mutating: rawKey.baseAddress))
            var dataValue = MDB_val(mv_size: rawValue.count, mv_data: UnsafeMutableRawPointer(mutating: rawValue.baseAddress))
            return mdb_cursor_put(pointer, &keyValue, &dataValue, options.rawValue)
        }
        if code == MDB_KEYEXIST { return false }
        try LMDBError.check(code, "append to \(database.name)")
        return true
    }
}
