import CLMDB
import Synchronization
@preconcurrency import Glibc

/// One LMDB environment (a folder holding `data.mdb` and `lock.mdb`).
///
/// LMDB forbids opening the same environment twice in one process, so environments are
/// shared through `Environment.open`. Transactions are scoped to closures: a write
/// transaction begins and ends on the calling thread (LMDB requires it), and a write that
/// finds the map full enlarges it and runs the closure again, so users never size the map.
public final class Environment: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The folder holding the environment.
    public let path: String
    private let gate = TransactionGate()

    private static let registry = Mutex<[String: WeakEnvironment]>([:])

    /// Opens (or returns the already open) environment in the folder `path`, which must exist.
    /// Files are created with `fileMode`. `initialMapSize` only matters for a new environment
    /// and as a lower bound; the map grows by itself.
    public static func open(
        path: String, maxDatabases: Int = 16, initialMapSize: Int = 16 << 20, fileMode: mode_t = 0o600
    ) throws -> Environment {
        let key = canonicalPath(path)
        let result: Result<Environment, any Error> = registry.withLock { open in
            if let existing = open[key]?.environment { return .success(existing) }
            do {
                let environment = try Environment(
                    path: path, maxDatabases: maxDatabases, initialMapSize: initialMapSize, fileMode: fileMode)
                open[key] = WeakEnvironment(environment: environment)
                return .success(environment)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private init(path: String, maxDatabases: Int, initialMapSize: Int, fileMode: mode_t) throws(LMDBError) {
        // A truncated or unreadable data file is refused before LMDB maps it (SIGBUS otherwise).
        try StoreFile.checkBeforeMapping(folder: path)
        var environment: OpaquePointer?
        try LMDBError.check(mdb_env_create(&environment), "create environment")
        do {
            try LMDBError.check(mdb_env_set_maxdbs(environment, MDB_dbi(maxDatabases)), "set database count")
            try LMDBError.check(mdb_env_set_maxreaders(environment, 512), "set reader count")
            try LMDBError.check(mdb_env_set_mapsize(environment, initialMapSize), "set map size")
            // NOTLS: read transactions are not tied to threads, so one thread may hold two.
            try LMDBError.check(mdb_env_open(environment, path, UInt32(MDB_NOTLS), fileMode), "open environment at \(path)")
        } catch {
            mdb_env_close(environment)
            throw error
        }
        self.pointer = environment!
        self.path = path
    }

    deinit {
        mdb_env_close(pointer)
    }

    /// Runs `body` in a read-only snapshot. Readers never block the writer, nor each other.
    public func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        while true {
            let outcome: Result<T, Error>? = gate.shared {
                var transaction: OpaquePointer?
                let code = mdb_txn_begin(pointer, nil, UInt32(MDB_RDONLY), &transaction)
                if code == MDB_MAP_RESIZED { return nil }
                do {
                    try LMDBError.check(code, "begin read transaction")
                    let snapshot = Transaction(pointer: transaction!, environment: self)
                    defer { snapshot.abortIfOpen() }
                    return .success(try body(snapshot))
                } catch {
                    return .failure(error)
                }
            }
            if let outcome { return try outcome.get() }
            try adoptMapSizeChosenElsewhere()
        }
    }

    /// Runs `body` in the write transaction and commits it when `body` returns; a throwing
    /// `body` aborts it, leaving the environment untouched. When LMDB reports a full map the
    /// map is enlarged and `body` runs again from the start, so `body` must keep its effects
    /// inside the transaction.
    @discardableResult
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        while true {
            let outcome: Result<T, Error>? = gate.shared {
                var transaction: OpaquePointer?
                let code = mdb_txn_begin(pointer, nil, 0, &transaction)
                if code == MDB_MAP_RESIZED { return nil }
                do {
                    try LMDBError.check(code, "begin write transaction")
                } catch {
                    return .failure(error)
                }
                let writer = WriteTransaction(pointer: transaction!, environment: self)
                do {
                    let value = try body(writer)
                    try writer.commit()
                    return .success(value)
                } catch let error as LMDBError where error.isMapFull {
                    writer.abortIfOpen()
                    return nil
                } catch {
                    writer.abortIfOpen()
                    return .failure(error)
                }
            }
            if let outcome { return try outcome.get() }
            try enlargeMap()
        }
    }

    /// Opens named databases that already exist, without taking the writer's lock, so that
    /// readers can start while another process writes. Throws `MDB_NOTFOUND` for a missing one.
    public func openExistingDatabases(_ names: [String]) throws -> [Database] {
        try gate.shared {
            var transaction: OpaquePointer?
            try LMDBError.check(mdb_txn_begin(pointer, nil, UInt32(MDB_RDONLY), &transaction), "begin read transaction")
            var databases: [Database] = []
            for name in names {
                var handle: MDB_dbi = 0
                let code = mdb_dbi_open(transaction, name, 0, &handle)
                if code != 0 {
                    mdb_txn_abort(transaction)
                    throw LMDBError(code: code, operation: "open database \(name)")
                }
                databases.append(Database(handle: handle, name: name))
            }
            // Committing (not aborting) keeps the handles open for the environment's life.
            try LMDBError.check(mdb_txn_commit(transaction), "commit read transaction")
            return databases
        }
    }

    /// The current map size and how much of it is used, in bytes.
    public func usage() -> (mapSize: Int, usedBytes: Int) {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(pointer, &info)
        mdb_env_stat(pointer, &stat)
        return (info.me_mapsize, (info.me_last_pgno + 1) * Int(stat.ms_psize))
    }

    /// Makes sure at least `bytes` more fit in the map, so a large write need not be retried.
    public func reserveCapacity(_ bytes: Int) throws {
        try gate.exclusive {
            let (mapSize, used) = usage()
            guard mapSize - used < bytes else { return }
            var target = mapSize
            while target - used < bytes { target = Self.grown(target) }
            try LMDBError.check(mdb_env_set_mapsize(pointer, target), "enlarge map")
        }
    }

    /// Writes a consistent copy of the environment into the existing, empty folder `path`,
    /// compacting it (free pages are left out). Writers may keep going meanwhile.
    public func copy(to path: String) throws(LMDBError) {
        try LMDBError.check(mdb_env_copy2(pointer, path, UInt32(MDB_CP_COMPACT)), "copy environment to \(path)")
    }

    private func enlargeMap() throws {
        try gate.exclusive {
            let (mapSize, _) = usage()
            try LMDBError.check(mdb_env_set_mapsize(pointer, Self.grown(mapSize)), "enlarge map")
        }
    }

    private func adoptMapSizeChosenElsewhere() throws {
        try gate.exclusive {
            try LMDBError.check(mdb_env_set_mapsize(pointer, 0), "adopt new map size")
        }
    }

    /// Doubles small maps and grows large ones by 1 GiB steps.
    private static func grown(_ size: Int) -> Int {
        size + min(size, 1 << 30)
    }

    private static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

private struct WeakEnvironment {
    weak var environment: Environment?
}
