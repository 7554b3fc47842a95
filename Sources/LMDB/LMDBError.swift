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

    /// LMDB's own text for the code (`mdb_strerror`), which also covers errno values.
    public var message: String { String(cString: mdb_strerror(code)) }

    /// Damage reads as the sentence saying what is wrong and where, then the code's name;
    /// other failures as the operation, then LMDB's explanation and code. (LMDB's own text for
    /// `MDB_CORRUPTED`, "Located page was wrong type", would mislead after a checker's sentence.)
    public var description: String {
        if code == MDB_CORRUPTED { return "\(operation) (MDB_CORRUPTED: the data file is damaged)" }
        return isDamage ? "\(operation) (\(message))" : "\(operation): \(message) (LMDB code \(code))"
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
    /// An I/O error: on a full disk, LMDB reports a short write as EIO.
    public var isInputOutput: Bool { code == EIO }

    /// Turns an LMDB return code into a thrown error.
    @inlinable
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if code != 0 { throw LMDBError(code: code, operation: operation()) }
    }
}
