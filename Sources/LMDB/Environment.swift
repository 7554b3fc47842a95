import CLMDB
import Foundation
import Synchronization
@preconcurrency import Glibc

/// One LMDB environment (a folder holding `data.mdb` and `lock.mdb`).
///
/// LMDB forbids opening the same environment twice in one process, so environments are
/// shared through `Environment.open`. Transactions are scoped to closures: a write
/// transaction begins and ends on the calling thread (LMDB requires it). The map has one
/// fixed, large size in every process (`defaultMapSize`), so it never has to grow.
package final class Environment: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The folder holding the environment.
    package let path: String
    /// True when this process may not write the store: it was opened read-only, without
    /// LMDB's lock region (see `StoreFolder.isWritable`), and every write fails.
    package let isReadOnly: Bool
    /// Where the data file is mapped (`releaseMappedPages`); nil where it cannot be found.
    package let mappedRegion: (address: UInt, bytes: Int)?
    /// Watches the map regions reads enter and releases the map past its budget (`MapResidency`).
    let residency: MapResidency?

    private static let registry = Mutex<[String: WeakEnvironment]>([:])

    /// The map size every process uses: 256 GiB of address space (a decade of a province's
    /// events is about 20 GB). The map is fixed, never grown: growing it needs every
    /// transaction of the process closed (LMDB's rule), which deadlocked parallel scans
    /// against an outer read, and a map grown by another process made transactions fail
    /// with MDB_MAP_RESIZED. Without MDB_WRITEMAP the file grows only with the data.
    package static let defaultMapSize = 256 << 30

    /// The linked LMDB library's version, as `major.minor.patch` (for `recovery --version`).
    package static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        // Safety: mdb_version only writes the three Int32s it is given and returns a static string.
        _ = mdb_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    /// Opens (or returns the already open) environment in the folder `path`, which must exist.
    /// Files are created with `fileMode`. A folder this process may not write is opened
    /// read-only.
    package static func open(
        path: String, maxDatabases: Int = 16, mapSize: Int = defaultMapSize, fileMode: mode_t = 0o600
    ) throws -> Environment {
        let key = canonicalPath(path)
        let result: Result<Environment, any Error> = registry.withLock { open in
            if let existing = open[key]?.environment { return .success(existing) }
            do {
                let environment = try Environment(
                    path: path, maxDatabases: maxDatabases, mapSize: mapSize, fileMode: fileMode)
                open[key] = WeakEnvironment(environment: environment)
                return .success(environment)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private init(path: String, maxDatabases: Int, mapSize: Int, fileMode: mode_t) throws(LMDBError) {
        // A truncated or unreadable data file is refused before LMDB maps it (SIGBUS otherwise).
        try StoreFile.checkBeforeMapping(folder: path)
        let readOnly = !StoreFolder.isWritable(path)
        var environment: OpaquePointer?
        try LMDBError.check(mdb_env_create(&environment), "create environment")
        do {
            try LMDBError.check(mdb_env_set_maxdbs(environment, MDB_dbi(maxDatabases)), "set database count")
            try LMDBError.check(mdb_env_set_maxreaders(environment, 512), "set reader count")
            try LMDBError.check(mdb_env_set_mapsize(environment, mapSize), "set map size")
            // NOTLS: read transactions are not tied to threads, so one thread may hold two.
            // A store we may not write is opened as LMDB opens one on a read-only file
            // system: no lock region (nothing to register readers in).
            let flags = UInt32(MDB_NOTLS) | (readOnly ? UInt32(MDB_RDONLY) | UInt32(MDB_NOLOCK) : 0)
            try StoreFolder.withOpenLock(path) { () throws(LMDBError) in
                if !readOnly { try StoreFolder.prepareLockFile(path, mode: fileMode) }
                try LMDBError.check(mdb_env_open(environment, path, flags, fileMode), "open environment at \(path)")
                if !readOnly { try Self.checkLockRegion(environment!, path: path) }
            }
        } catch {
            mdb_env_close(environment)
            throw error
        }
        self.pointer = environment!
        self.path = path
        self.isReadOnly = readOnly
        mappedRegion = Self.findMappedRegion(environment!)
        residency = mappedRegion.map(MapResidency.init(map:))
    }

    /// Called with each value LMDB lends a transaction (`last`: the map region last read in
    /// the same database by that transaction): gives the map back when `MapResidency` says so.
    @inline(__always)
    func noteRead(_ value: MDB_val, after last: inout UInt) {
        if let residency, residency.shouldRelease(after: value, last: &last) { releaseMappedPages() }
    }

    /// For LMDB's own loops, which read pages without lending them to note (emptying a
    /// database, the copy): gives the map back once the resident pages have grown past
    /// `budget` (at every call where statm cannot be read).
    func checkResidency(bytes budget: Int = MapResidency.budgetBytes) {
        if residency?.isOverBudget(bytes: budget) ?? true { releaseMappedPages() }
    }

    /// LMDB keeps the newest transaction id in its lock region; a region that is behind the
    /// data file's meta pages would make the next write commit over the newest meta page and
    /// lose acknowledged commits. Opening under `StoreFolder.withOpenLock` prevents it; this
    /// checks it held. The region trails the meta pages by exactly one, legitimately, while a
    /// commit writes its meta page (a synchronous write) before setting the region's id, and
    /// after a writer died between the two (LMDB sets the id from the meta pages when the next
    /// writer takes its lock and finds the owner dead). So a gap of one that outlasts
    /// `regionCheckAttempts` readings 10 ms apart is settled by taking the writer's lock once
    /// (and letting go at once); only a gap that survives that, or one larger than one, is a
    /// stale region.
    private static func checkLockRegion(_ environment: OpaquePointer, path: String) throws(LMDBError) {
        func gap() throws(LMDBError) -> UInt64 {
            var info = MDB_envinfo()
            mdb_env_info(environment, &info)
            var transaction: OpaquePointer?
            try LMDBError.check(mdb_txn_begin(environment, nil, UInt32(MDB_RDONLY), &transaction), "begin read transaction")
            let regionTransaction = mdb_txn_id(transaction)
            mdb_txn_abort(transaction)
            return info.me_last_txnid > regionTransaction ? UInt64(info.me_last_txnid - regionTransaction) : 0
        }
        func settled() throws(LMDBError) -> UInt64 {
            var found = try gap()
            var attempt = 1
            while found == 1, attempt < regionCheckAttempts {
                usleep(10_000)
                found = try gap()
                attempt += 1
            }
            return found
        }
        var found = try settled()
        if found == 1 {
            var writer: OpaquePointer?
            try LMDBError.check(mdb_txn_begin(environment, nil, 0, &writer), "begin write transaction")
            mdb_txn_abort(writer)
            found = try settled()
        }
        guard found == 0 else {
            throw LMDBError(
                code: MDB_PANIC,
                operation: "open \(path): LMDB's lock region is behind the data file (a process died while opening it); stop every process using the store, then run the command again")
        }
    }

    /// About one second of readings before a region trailing by one is taken as stale.
    static let regionCheckAttempts = 100

    deinit {
        // Under the open lock too: a closing last user re-takes LMDB's exclusive lock and
        // tears down the region's mutexes, which an opener must not see half done.
        let pointer = self.pointer
        do {
            try StoreFolder.withOpenLock(path) { () throws(LMDBError) in mdb_env_close(pointer) }
        } catch {
            mdb_env_close(pointer)
        }
    }

    /// Runs `body` in a read-only snapshot. Readers never block the writer, nor each other.
    package func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        var transaction: OpaquePointer?
        try LMDBError.check(mdb_txn_begin(pointer, nil, UInt32(MDB_RDONLY), &transaction), "begin read transaction")
        let snapshot = Transaction(pointer: transaction!, environment: self)
        defer { snapshot.abortIfOpen() }
        return try body(snapshot)
    }

    /// Runs `body` in the write transaction and commits it when `body` returns; a throwing
    /// `body` aborts it, leaving the environment untouched. The commit is durable (fsync'ed)
    /// when this returns.
    @discardableResult
    package func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        var transaction: OpaquePointer?
        try LMDBError.check(mdb_txn_begin(pointer, nil, 0, &transaction), "begin write transaction")
        let writer = WriteTransaction(pointer: transaction!, environment: self)
        do {
            let value = try body(writer)
            try writer.commit()
            return value
        } catch {
            writer.abortIfOpen()
            throw error
        }
    }

    /// Opens named databases that already exist, without taking the writer's lock, so that
    /// readers can start while another process writes. Throws `MDB_NOTFOUND` for a missing one.
    package func openExistingDatabases(_ names: [String]) throws -> [Database] {
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

    /// The map size and how much of it the data uses, in bytes.
    package func usage() -> (mapSize: Int, usedBytes: Int) {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(pointer, &info)
        mdb_env_stat(pointer, &stat)
        return (info.me_mapsize, (info.me_last_pgno + 1) * Int(stat.ms_psize))
    }

    /// Gives back this process's mapped pages of the data file. A long read (`verify`, a scan
    /// of the log) touches every page, and each page it touched counts in the process's
    /// resident set until the map lets go of it, so a scan's memory grew with the log (issue
    /// 15). The pages stay in the kernel's page cache and come back on the next access (a
    /// minor fault), and the map is read-only (no MDB_WRITEMAP), so nothing is lost and a
    /// pointer into the map stays valid. Does nothing where the map cannot be found.
    package func releaseMappedPages() {
        guard let map = mappedRegion else { return }
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(pointer, &info)
        mdb_env_stat(pointer, &stat)
        let bytes = min((info.me_last_pgno + 1) * Int(stat.ms_psize), map.bytes)
        // Safety: the range lies inside LMDB's own read-only, shared map of the data file (found in /proc/self/maps by the file's inode); MADV_DONTNEED only drops this process's page-table entries for it, and the pages are read back from the file on access.
        _ = madvise(UnsafeMutableRawPointer(bitPattern: map.address), bytes, MADV_DONTNEED)
        residency?.released()
    }

    /// The data file's map in this process: LMDB does not say where it is (`me_mapaddr` is
    /// only set with MDB_FIXEDMAP), so it is read from /proc/self/maps once, after opening —
    /// the map never moves, as its size is fixed. Matched by the data file's inode, offset 0.
    private static func findMappedRegion(_ environment: OpaquePointer) -> (address: UInt, bytes: Int)? {
        var descriptor: Int32 = -1
        guard mdb_env_get_fd(environment, &descriptor) == 0, descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        let maps = Glibc.open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard maps >= 0 else { return nil }
        defer { close(maps) }
        // A process's map list is a few hundred lines; 16 MiB bounds a pathological one.
        let limit = 16 << 20
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while text.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(maps, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            text.append(contentsOf: chunk[0 ..< count])
        }
        let inode = String(status.st_ino)
        for line in text.split(separator: UInt8(ascii: "\n")) {
            // start-end perms offset dev inode path
            let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
            guard fields.count >= 6, String(decoding: fields[4], as: UTF8.self) == inode,
                  fields[2].allSatisfy({ $0 == UInt8(ascii: "0") }) else { continue }
            let bounds = fields[0].split(separator: UInt8(ascii: "-"))
            guard bounds.count == 2, let start = UInt(String(decoding: bounds[0], as: UTF8.self), radix: 16),
                  let end = UInt(String(decoding: bounds[1], as: UTF8.self), radix: 16), end > start else { continue }
            return (start, Int(end - start))
        }
        return nil
    }

    /// Writes a consistent copy of the environment into the existing, empty folder `path`,
    /// compacting it (free pages are left out). Writers may keep going meanwhile.
    /// LMDB reads every page of the map for it in its own loop, which lends the wrapper
    /// nothing to note (`MapResidency`), so a thread beside it looks at the resident pages
    /// every `copyResidencyCheckMicroseconds` and gives the map back past the budget (without
    /// statm, at every look): the copy's resident set stays flat however large the file is.
    package func copy(to path: String) throws(LMDBError) {
        let copying = Atomic<Bool>(true)
        let releaser = Thread { [self] in
            while copying.load(ordering: .acquiring) {
                checkResidency(bytes: Self.copyResidencyBudgetBytes)
                usleep(Self.copyResidencyCheckMicroseconds)
            }
        }
        releaser.start()
        defer {
            copying.store(false, ordering: .releasing)
            // What the copy read after the releaser's last round stays mapped otherwise (221 MiB
            // of a 10,000,000-event store, measured, held while the caller verifies the copy).
            releaseMappedPages()
        }
        // The copy runs on a thread of its own at a lower priority (LMDB's writer thread inherits
        // it; on Linux a nice value is a thread's): on 2 busy cores the releaser, at the normal
        // priority, then runs as soon as it wakes, instead of after the copy's time slice.
        let code = Mutex<Int32?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let copier = Thread { [self] in
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.copyNiceness)
            // Safety: the environment outlives the copy: `copy` waits for this thread below.
            let result = mdb_env_copy2(pointer, path, UInt32(MDB_CP_COMPACT))
            code.withLock { $0 = result }
            finished.signal()
        }
        copier.start()
        finished.wait()
        try LMDBError.check(code.withLock { $0 } ?? MDB_PANIC, "copy environment to \(path)")
    }

    /// The copy's nice value (the process's own is 0; 19 is the lowest priority).
    static let copyNiceness: Int32 = 10

    /// How often the copy's releaser looks. Where the copy walks a tree whose pages lie
    /// scattered over the file (the stream index, states rewritten by a rebuild), each 4 KiB page
    /// it reads maps a large folio of up to 2 MiB: a release every 10 ms let 270 MiB stay
    /// mapped at once, every 2 ms 220 MiB (10,000,000 events). A look is one statm `pread`.
    static let copyResidencyCheckMicroseconds: UInt32 = 50
    /// The copy's budget, below the reads' 8 MiB: the releaser only sees the copy between looks.
    static let copyResidencyBudgetBytes = 2 << 20

    private static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

private struct WeakEnvironment {
    weak var environment: Environment?
}
