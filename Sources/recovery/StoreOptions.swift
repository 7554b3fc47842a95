import ArgumentParser
import EventLog
import Rehabilitation
import Foundation

/// `--store DIR`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger folder (default: $RECOVERY_STORE, else ./recovery-data).", valueName: "DIR"),
            completion: .directory)
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

/// Shell completion of town arguments: the towns of the ledger the shell's $RECOVERY_STORE
/// (else ./recovery-data) names — ids and Chinese names — or Enping's when there is none.
enum TownCompletion {
    static let kind = CompletionKind.custom { _, _, _ in
        let folder = ProcessInfo.processInfo.environment["RECOVERY_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "./recovery-data"
        let city = (try? Ledger.open(at: folder).city) ?? City.enping
        return city.towns.flatMap { [$0.id, $0.name] }
    }
}
