import ArgumentParser
import EventLog
@preconcurrency import Glibc

/// The `recovery` command: the system of record for a city's community rehabilitation
/// programme, on an append-only, hash-chained log.
@main
struct Recovery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "An append-only, hash-chained ledger of community drug-rehabilitation events.",
        discussion: "Every command takes --store DIR (default: $RECOVERY_STORE, else ./recovery-data).",
        subcommands: [
            InitCommand.self, AppendCommand.self, ImportCommand.self, LogCommand.self, VerifyCommand.self,
            BalanceCommand.self, AuditCommand.self, RebuildCommand.self, RulesCommand.self,
            StatsCommand.self, AlertsCommand.self, BackupCommand.self, DemoCommand.self,
        ]
    )

    /// Runs the command and turns every failure into one clear line (or the list of input
    /// errors) on standard error and the documented exit code.
    static func main() {
        do {
            try RawArguments.requireValidUTF8()
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CLIFailure {
            failure.report()
            Glibc.exit(failure.exitCode.rawValue)
        } catch let error as LogError {
            let failure = CLIFailure(error)
            failure.report()
            Glibc.exit(failure.exitCode.rawValue)
        } catch {
            UsageMessage.exit(withError: error)
        }
    }
}
