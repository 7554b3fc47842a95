@preconcurrency import Glibc

/// File-system facts about a store folder that must be known before LMDB is asked to open
/// it: whether a data file is there (or cannot be looked at), and whether this process may
/// write to it.
package enum StoreFolder {
    /// What `stat` says about a file.
    package enum Presence: Equatable, Sendable {
        case present
        case missing
        /// The file cannot be looked at; `errno` says why (EACCES: permission denied).
        case inaccessible(errno: Int32)
    }

    /// Whether `path` exists, is missing, or cannot be examined.
    package static func presence(of path: String) -> Presence {
        var status = stat()
        if stat(path, &status) == 0 { return .present }
        let code = errno
        return code == ENOENT || code == ENOTDIR ? .missing : .inaccessible(errno: code)
    }

    /// Whether this process may write the folder and the files LMDB keeps in it. A store
    /// that is not writable is opened read-only, without LMDB's lock region.
    package static func isWritable(_ folder: String) -> Bool {
        guard access(folder, W_OK) == 0 else { return false }
        for name in ["data.mdb", "lock.mdb"] {
            let file = folder + "/" + name
            if presence(of: file) == .present, access(file, W_OK) != 0 { return false }
        }
        return true
    }

    /// The text of an errno value (`strerror`), e.g. "Permission denied".
    package static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Runs `body` holding an exclusive `flock` on the folder itself. Every process of ours
    /// opens its environment under this lock, so no opener ever proceeds on a lock region a
    /// dead first opener left half-initialised (docs/decisions.md, "Lost appends"). The
    /// lock is on the folder, not on LMDB's files: closing our descriptor cannot drop the
    /// fcntl locks LMDB holds on `lock.mdb`. The kernel releases it when a process dies.
    static func withOpenLock<T>(_ folder: String, _ body: () throws(LMDBError) -> T) throws(LMDBError) -> T {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LMDBError(code: errno, operation: "open the store folder \(folder)")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw LMDBError(code: errno, operation: "lock the store folder \(folder)") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Bytes reserved for LMDB's lock file. LMDB 0.9.24 needs 256 bytes of header and 64
    /// bytes per reader slot (32,960 bytes for 512 readers); a larger file only gives more
    /// slots, and every process derives the slot count from the file's size.
    static let lockFileBytes = 64 * 1024

    /// Creates `lock.mdb` when needed and makes the file system allocate its blocks before
    /// LMDB maps it: on a full disk, LMDB's own `ftruncate` makes a sparse file, and the
    /// first write into the mapping then kills the process with SIGBUS. An existing file
    /// keeps its size (other processes have mapped it); only its holes are filled.
    static func prepareLockFile(_ folder: String, mode: mode_t) throws(LMDBError) {
        let path = folder + "/lock.mdb"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw LMDBError(code: errno, operation: "create the lock file \(path)") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw LMDBError(code: errno, operation: "examine the lock file \(path)") }
        let length = status.st_size > 0 ? status.st_size : off_t(lockFileBytes)
        let code = posix_fallocate(descriptor, 0, length)
        // EOPNOTSUPP/EINVAL: a file system without allocation (LMDB then works as before).
        if code != 0 && code != EOPNOTSUPP && code != EINVAL {
            throw LMDBError(code: code, operation: "allocate the lock file \(path)")
        }
    }
}

extension StoreFolder {
    /// Bytes available to this process on the file system holding `folder`, if known.
    package static func availableBytes(_ folder: String) -> Int? {
        var status = statvfs()
        guard statvfs(folder, &status) == 0 else { return nil }
        return Int(status.f_bavail) * Int(status.f_frsize)
    }
}
