import ArgumentParser
import EventLog
import LMDB
import Rehabilitation
@preconcurrency import Glibc

/// The `recovery` command: the system of record for a city's community rehabilitation
/// programme, on an append-only, hash-chained log.
@main
struct Recovery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "An append-only, hash-chained ledger of community drug-rehabilitation events.",
        discussion: "Every command takes --store DIR (default: $RECOVERY_STORE, else ./recovery-data).",
        version: ProgramVersion.text,
        subcommands: [
            InitCommand.self, AppendCommand.self, RecordCommand.self, ImportCommand.self, LogCommand.self, VerifyCommand.self,
            BalanceCommand.self, AuditCommand.self, RebuildCommand.self, RulesCommand.self,
            StatsCommand.self, AlertsCommand.self, ActivityCommand.self, BackupCommand.self, RestoreCommand.self, AcceptRestoreCommand.self, DemoCommand.self,
            ServeCommand.self, AccessCommand.self, KeyCommand.self, CheckpointCommand.self, ProveCommand.self,
            CheckProofCommand.self, ReceiptCommand.self, UpgradeCommand.self, ReportCommand.self,
        ]
    )

    /// Runs the command and turns every failure into one clear line (or the list of input
    /// errors) on standard error and the documented exit code.
    static func main() {
        // Everything the ledger writes (stores, backups, witnesses) is owner-only.
        umask(0o077)
        FaultGuard.install(message: faultMessage, exitStatus: ExitCode.internalError.rawValue)
        // A ledger made before the Merkle tree is given it when first opened: say so on a terminal.
        if isatty(STDERR_FILENO) == 1 {
            EventLog.treeBuildProgress.withLock {
                $0 = { done, total in
                    StandardStreams.writeProgress("\rrecovery: building the Merkle tree (once, for proofs): \(done) of \(total) events" + (done == total ? "\n" : ""))
                }
            }
        }
        do {
            try RawArguments.requireValidUTF8()
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CLIFailure {
            failure.exit()
        } catch let error as LogError {
            CLIFailure(error).exit()
        } catch let error as LedgerError {
            CLIFailure(error).exit()
        } catch {
            UsageMessage.exit(withError: error)
        }
    }

    /// Printed when LMDB or a stored byte makes the process fault (FaultGuard).
    static let faultMessage =
        "recovery: stopped on a fault while reading the store: the store is damaged; nothing was changed. Run `recovery verify` to see where, and restore from a backup\n"
}
