import ArgumentParser
import EventLog
import LMDB
import Rehabilitation
@preconcurrency import Glibc

/// A failure the user can act on, with the exit code the contract gives it.
struct CLIFailure: Error {
    let message: String
    let exitCode: ExitCode

    init(_ message: String, exitCode: ExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    /// Words the log's errors for the user, with what to do, and gives them the exit codes
    /// of the contract (docs/cli.md). This is the one place the mapping is written.
    init(_ error: LogError) {
        switch error {
        case .noLog(let folder):
            self.init("no ledger in \(folder): create one with `recovery init --store \(folder)`, or point --store (or RECOVERY_STORE) at an existing ledger",
                      exitCode: .noLedger)
        case .logExists(let folder):
            self.init("a ledger already exists in \(folder); nothing was changed", exitCode: .ledgerExists)
        case .rejected:
            self.init(error.description, exitCode: .rejectedInput)
        case .destinationNotEmpty(let path):
            self.init("\(path) exists and is not an empty folder: a backup or a restore goes into a new or empty folder, never over other files; nothing was written",
                      exitCode: .ledgerExists)
        // A store behind its witness is found damage (like `verify`'s), not a storage failure.
        case .rolledBack(let detail):
            self.init("the store went backwards: \(detail). It lost committed events or an older copy replaced it; nothing was changed. If an older backup was restored on purpose, accept it with `recovery accept-restore`",
                      exitCode: .damageFound)
        case .unsupportedFormat(let folder, let found):
            self.init("\(folder) holds a ledger of format \(found), which this version of recovery cannot read (it reads \(EventLog.formatName))",
                      exitCode: .internalError)
        case .storage(let storageError):
            let message = storageError.isMapFull
                ? "storage error: the store reached its maximum size of \(Environment.defaultMapSize >> 30) GiB (\(storageError.description))"
                : "storage error: \(storageError.description)"
            self.init(message, exitCode: .internalError)
        case .damaged(let seq, let reason):
            self.init("the stored event at seq \(seq) is damaged (\(reason)); run `recovery verify`", exitCode: .internalError)
        case .fileSystem(let path, let reason):
            self.init("\(path): \(reason)", exitCode: .internalError)
        case .damagedStore(let reason):
            self.init("the store is damaged (\(reason)); nothing was changed: run `recovery verify` to see where, and restore from a backup",
                      exitCode: .internalError)
        }
    }

    /// Words the domain's errors for the user.
    init(_ error: LedgerError) {
        switch error {
        case .unknownEvent(let seq, let reason):
            // Found damage, as `verify` reports it: the record is not one this catalogue wrote.
            self.init("the stored event at seq \(seq) is not one the catalogue knows (\(reason)); the store is damaged or was written by another version of recovery: run `recovery verify`",
                      exitCode: .damageFound)
        case .damagedProjection(let reason):
            self.init("a projection cannot be read (\(reason)); recompute it from the log with `recovery rebuild`", exitCode: .internalError)
        }
    }

    /// Writes the failure on standard error, a `recovery:` line per line of the message, and
    /// ends the process with its exit code.
    func exit() -> Never {
        StandardStreams.writeError("recovery: " + message.replacingOccurrences(of: "\n", with: "\nrecovery: ") + "\n")
        Glibc.exit(exitCode.rawValue)
    }
}

extension ExitCode {
    /// A check found damage or an inconsistency.
    static let damageFound = ExitCode(1)
    /// Input was rejected; nothing was appended (EX_DATAERR).
    static let rejectedInput = ExitCode(65)
    /// The folder holds no ledger (EX_NOINPUT).
    static let noLedger = ExitCode(66)
    /// Internal or storage error (EX_SOFTWARE).
    static let internalError = ExitCode(70)
    /// `init` where a ledger exists (EX_CANTCREAT).
    static let ledgerExists = ExitCode(73)
}
