import ArgumentParser
import Rehabilitation

/// `recovery balance`: a participant's points balance from the projection.
struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: "A participant's points balance (from the projection).")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The participant id.", valueName: "P"))
    var participant: String

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Flag(help: "Short for --format json.")
    var json = false

    func validate() throws {
        guard [.table, .json].contains(format) else { throw ValidationError("--format must be table or json") }
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        guard let (balance, headSeq) = try ledger.balance(of: participant) else {
            throw CLIFailure("unknown participant \(participant): the ledger holds no events for them", exitCode: .rejectedInput)
        }
        if json || format == .json {
            StandardStreams.print(OrderedJSON.object([
                ("participant", .string(participant)), ("balance", .integer(balance)), ("head_seq", .seq(headSeq)),
            ]).text)
        } else {
            StandardStreams.print("\(participant): \(balance) points (ledger at seq \(headSeq))")
        }
    }
}
