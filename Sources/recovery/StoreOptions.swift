import ArgumentParser
import EventLog
import Rehabilitation
import Foundation

/// `--store DIR`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger folder (default: $RECOVERY_STORE, else ./recovery-data).", valueName: "DIR"))
    var store: String?

    /// The folder the command works on.
    var folder: String {
        if let store { return store }
        if let fromEnvironment = ProcessInfo.processInfo.environment["RECOVERY_STORE"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "./recovery-data"
    }

    /// Opens the existing ledger, or fails with exit 66.
    func openLedger() throws -> Ledger {
        try Ledger.open(at: folder)
    }
}
