import CLMDB
import EventLog

/// An LMDB environment driven through the C API with nothing in between: the floor every
/// figure of the log is compared with. It either owns an environment of its own or borrows
/// the very `MDB_env` an `EventLog` uses, so that raw reads run on the same map as the log's.
final class RawEnvironment {
    let pointer: OpaquePointer
    private let owned: Bool

    /// A new environment in the existing folder `folder`: default flags plus `MDB_NOTLS`
    /// (as the log uses), and a map large enough never to grow during the run.
    init(creatingIn folder: String, mapSize: Int = 8 << 30) throws(RawLMDBError) {
        var environment: OpaquePointer?
        try RawLMDBError.check(mdb_env_create(&environment), "mdb_env_create")
        do {
            try RawLMDBError.check(mdb_env_set_maxdbs(environment, 4), "mdb_env_set_maxdbs")
            try RawLMDBError.check(mdb_env_set_mapsize(environment, mapSize), "mdb_env_set_mapsize")
            try RawLMDBError.check(mdb_env_open(environment, folder, UInt32(MDB_NOTLS), 0o600), "mdb_env_open \(folder)")
        } catch {
            mdb_env_close(environment)
            throw error
        }
        pointer = environment!
        owned = true
    }

    /// The environment `log` is open on. LMDB forbids opening one environment twice in a
    /// process, and the wrapper keeps its `MDB_env *` internal, so it is read by reflection.
    init(sharing log: EventLog) throws(RawLMDBError) {
        let found = Mirror(reflecting: log.environment).children.first { $0.label == "pointer" }?.value as? OpaquePointer
        guard let found else {
            throw RawLMDBError(code: 0, operation: "find the MDB_env of the log (Environment.pointer is gone; update RawEnvironment)")
        }
        pointer = found
        owned = false
    }

    deinit {
        if owned { mdb_env_close(pointer) }
    }

    /// Runs `body` with a cursor on `database` in a read transaction of its own, both closed
    /// when it returns: the frame of every raw read.
    func withReadCursor<T>(
        on database: MDB_dbi, _ body: (_ transaction: OpaquePointer, _ cursor: OpaquePointer) throws(RawLMDBError) -> T
    ) throws(RawLMDBError) -> T {
        var transaction: OpaquePointer?
        try RawLMDBError.check(mdb_txn_begin(pointer, nil, UInt32(MDB_RDONLY), &transaction), "mdb_txn_begin")
        defer { mdb_txn_abort(transaction) }
        var cursor: OpaquePointer?
        try RawLMDBError.check(mdb_cursor_open(transaction, database, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        return try body(transaction!, cursor!)
    }

    /// The handle of an existing named database, opened in a short read transaction whose
    /// commit keeps it valid for the environment's life.
    func existingDatabase(_ name: String) throws(RawLMDBError) -> MDB_dbi {
        var transaction: OpaquePointer?
        try RawLMDBError.check(mdb_txn_begin(pointer, nil, UInt32(MDB_RDONLY), &transaction), "mdb_txn_begin")
        var handle: MDB_dbi = 0
        let code = mdb_dbi_open(transaction, name, 0, &handle)
        guard code == 0 else {
            mdb_txn_abort(transaction)
            throw RawLMDBError(code: code, operation: "mdb_dbi_open \(name)")
        }
        try RawLMDBError.check(mdb_txn_commit(transaction), "mdb_txn_commit")
        return handle
    }
}

/// A failed LMDB call of the raw floor.
struct RawLMDBError: Error, CustomStringConvertible {
    let code: Int32
    let operation: String

    var description: String {
        code == 0 ? operation : "\(operation): \(String(cString: mdb_strerror(code))) (\(code))"
    }

    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(RawLMDBError) {
        if code != 0 { throw RawLMDBError(code: code, operation: operation()) }
    }
}
