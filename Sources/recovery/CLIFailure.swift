import ArgumentParser
import EventLog
@preconcurrency import Glibc

/// A failure the user can act on, with the exit code the contract gives it.
struct CLIFailure: Error {
    let message: String
    let exitCode: ExitCode

    init(_ message: String, exitCode: ExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    /// Maps the log's errors to the exit codes of the contract (docs/cli.md).
    init(_ error: LogError) {
        switch error {
        case .noLedger: self.init(error.description, exitCode: .noLedger)
        case .ledgerExists: self.init(error.description, exitCode: .ledgerExists)
        case .rejected: self.init(error.description, exitCode: .rejectedInput)
        case .destinationNotEmpty: self.init(error.description, exitCode: .ledgerExists)
        // A store behind its witness is found damage (like `verify`'s), not a storage failure.
        case .rolledBack: self.init(error.description, exitCode: .damageFound)
        case .unsupportedFormat, .storage, .damaged, .damagedStore, .damagedProjection, .fileSystem:
            self.init(error.description, exitCode: .internalError)
        }
    }

    func report() {
        StandardStreams.writeError("recovery: " + message.replacingOccurrences(of: "\n", with: "\nrecovery: ") + "\n")
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
