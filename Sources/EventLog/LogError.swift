import LMDB

/// Everything that can go wrong with the log, in terms a user can act on.
public enum LogError: Error, CustomStringConvertible, Sendable {
    /// The folder holds no ledger.
    case noLedger(folder: String)
    /// `create` found a ledger already there.
    case ledgerExists(folder: String)
    /// Input events were refused; nothing was appended. `total` counts them all, `errors`
    /// keeps the first few.
    case rejected(errors: [InputError], total: Int)
    /// The folder holds a ledger of a format this program does not know.
    case unsupportedFormat(folder: String, found: String)
    /// LMDB failed; the transaction was rolled back.
    case storage(LMDBError)
    /// A stored record could not be decoded.
    case damaged(seq: UInt64, reason: String)
    /// A projection kept beside the log cannot be read; it can be recomputed from the log.
    case damagedProjection(reason: String)
    /// The file system refused an operation.
    case fileSystem(path: String, reason: String)

    public var description: String {
        switch self {
        case .noLedger(let folder):
            "no ledger in \(folder): create one with `recovery init --store \(folder)`, or point --store (or RECOVERY_STORE) at an existing ledger"
        case .ledgerExists(let folder):
            "a ledger already exists in \(folder); nothing was changed"
        case .rejected(let errors, let total):
            (errors.map(\.description) + (total > errors.count ? ["… and \(total - errors.count) more errors"] : []))
                .joined(separator: "\n")
        case .unsupportedFormat(let folder, let found):
            "\(folder) holds a ledger of format \(found), which this version of recovery cannot read"
        case .storage(let error):
            "storage error: \(error.description)"
        case .damaged(let seq, let reason):
            "the stored event at seq \(seq) is damaged (\(reason)); run `recovery verify`"
        case .damagedProjection(let reason):
            "a projection cannot be read (\(reason)); recompute it from the log with `recovery rebuild`"
        case .fileSystem(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
