import ArgumentParser
import EventLog

/// `recovery init`: creates an empty ledger.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a new ledger in the store folder (fails with 73 if one exists).")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let log = try EventLog.create(at: storeOptions.folder)
        StandardStreams.print("initialised an empty ledger in \(log.folder)")
    }
}
