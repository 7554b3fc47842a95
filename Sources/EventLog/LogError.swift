import LMDB

/// Everything that can go wrong with the log, in terms a user can act on.
public enum LogError: Error, CustomStringConvertible, Sendable {
    /// The folder holds no log.
    case noLog(folder: String)
    /// `create` found a log already there.
    case logExists(folder: String)
    /// Input events were refused; nothing was appended. `total` counts them all, `errors`
    /// keeps the first few.
    case rejected(errors: [InputError], total: Int)
    /// The folder holds a log of a format this program does not know.
    case unsupportedFormat(folder: String, found: String)
    /// LMDB failed; the transaction was rolled back.
    case storage(LMDBError)
    /// A stored record could not be decoded.
    case damaged(seq: UInt64, reason: String)
    /// The file system refused an operation.
    case fileSystem(path: String, reason: String)
    /// The store's files are damaged below the level of events (LMDB's pages, the meta
    /// pages, the file's length, the metadata's checksum): nothing can be trusted until
    /// `verify` says where.
    case damagedStore(reason: String)
    /// The store is behind its head witness: it lost committed events, or an older copy
    /// replaced it. `detail` names both heads.
    case rolledBack(detail: String)
    /// A backup's destination folder is not empty.
    case destinationNotEmpty(path: String)

    /// A neutral account of the error; the interface above words it for its users (the CLI's
    /// messages, with what to do, are in its failure layer).
    public var description: String {
        switch self {
        case .noLog(let folder): "no log in \(folder)"
        case .logExists(let folder): "a log already exists in \(folder)"
        case .rejected(let errors, let total):
            (errors.map(\.description) + (total > errors.count ? ["… and \(total - errors.count) more errors"] : []))
                .joined(separator: "\n")
        case .unsupportedFormat(let folder, let found): "\(folder) holds format \(found); this program reads \(EventLog.formatName)"
        case .storage(let error): "storage error: \(error.description)"
        case .damaged(let seq, let reason): "the stored event at seq \(seq) is damaged (\(reason))"
        case .fileSystem(let path, let reason): "\(path): \(reason)"
        case .damagedStore(let reason): "the store is damaged (\(reason))"
        case .destinationNotEmpty(let path): "\(path) is not empty"
        case .rolledBack(let detail): "the store went backwards: \(detail)"
        }
    }
}

extension LogError {
    /// Maps an LMDB failure on the store in `folder` to what the user can act on: damage,
    /// a full disk, a permission, or (otherwise) a storage error.
    static func from(_ error: LMDBError, folder: String?) -> LogError {
        let place = folder ?? "the store"
        if error.isDamage { return .damagedStore(reason: error.operation + ": " + error.message) }
        if error.isOutOfSpace || (error.isInputOutput && folder.flatMap(StoreFolder.availableBytes).map { $0 < 64 << 20 } == true) {
            let free = folder.flatMap(StoreFolder.availableBytes).map { " (\($0) bytes free)" } ?? ""
            return .fileSystem(path: place, reason: "no space left on device\(free); nothing was changed: free some space and run the command again")
        }
        if error.isPermissionDenied {
            return .fileSystem(path: place, reason: "permission denied (\(error.message)): this user may not write the store; read-only commands still work")
        }
        return .storage(error)
    }
}
