import CLMDB
@preconcurrency import Glibc

/// An error reported by LMDB, kept with its numeric code so callers can react to specific
/// conditions (a full map, a missing key) while users still get LMDB's own explanation.
public struct LMDBError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The LMDB (or errno) return code.
    public let code: Int32
    /// The LMDB call that failed, so a message tells where it happened.
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The wrapper's own code for a transaction or cursor used after the closure that lent it
    /// ended (its LMDB handle is gone). Stable; below LMDB's range (-30799…-30780) and errno's.
    public static let usedAfterEndCode: Int32 = -30_900

    /// The error for `subject` ("transaction", "cursor") used in `operation` after its closure ended.
    static func usedAfterEnd(_ subject: String, _ operation: String) -> LMDBError {
        LMDBError(code: usedAfterEndCode, operation: "\(operation): \(subject) used after its closure ended")
    }

    /// LMDB's own text for the code (`mdb_strerror`), which also covers errno values.
    public var message: String {
        if code == Self.usedAfterEndCode { return "a transaction or cursor lives only inside the closure that lends it" }
        return String(cString: mdb_strerror(code))
    }

    /// Damage reads as the sentence saying what is wrong and where, then the code's name (a use
    /// after the end as what was attempted, then the rule); other failures as the operation, then
    /// LMDB's explanation and code. (LMDB's own text for
    /// `MDB_CORRUPTED`, "Located page was wrong type", would mislead after a checker's sentence.)
    public var description: String {
        if code == MDB_CORRUPTED { return "\(operation) (MDB_CORRUPTED: the data file is damaged)" }
        return isDamage || isUsedAfterEnd ? "\(operation) (\(message))" : "\(operation): \(message) (LMDB code \(code))"
    }

    /// The map is full: the store reached the map size every process uses.
    public var isMapFull: Bool { code == MDB_MAP_FULL }
    /// No such key, or no such named database.
    public var isNotFound: Bool { code == MDB_NOTFOUND }
    /// The key was already present and the write asked not to overwrite it.
    public var isKeyExists: Bool { code == MDB_KEYEXIST }
    /// The data file is damaged: LMDB (or the checks made before it maps the file) found
    /// pages, meta pages or a file length that cannot be right.
    public var isDamage: Bool {
        code == MDB_CORRUPTED || code == MDB_PAGE_NOTFOUND || code == MDB_INVALID || code == MDB_VERSION_MISMATCH
    }
    /// The file system refused access (permissions, a read-only store or file system).
    public var isPermissionDenied: Bool { code == EACCES || code == EPERM || code == EROFS }
    /// The file system is full (or the user's quota is), or a write came back short.
    public var isOutOfSpace: Bool { code == ENOSPC || code == EDQUOT }
    /// A transaction or cursor was used after the closure that lent it ended: a programming error.
    public var isUsedAfterEnd: Bool { code == Self.usedAfterEndCode }
    /// An I/O error: on a full disk, LMDB reports a short write as EIO.
    public var isInputOutput: Bool { code == EIO }

    /// Turns an LMDB return code into a thrown error.
    @inlinable
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if code != 0 { throw LMDBError(code: code, operation: operation()) }
    }
}
