import ArgumentParser
import EventLog
import LedgerDocuments
import Rehabilitation

/// `recovery balance`: a participant's points balance from the projection.
struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: "A participant's points balance (from the projection).")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The participant id.", valueName: "P"))
    var participant: String

    @OptionGroup var output: TableOrJSONOptions

    @OptionGroup var languageOptions: LanguageOptions

    func run() throws {
        let ledger = try storeOptions.openLedger()
        guard let (balance, headSeq) = try ledger.balance(of: participant) else {
            throw CLIFailure("unknown participant \(DisplayText.escaped(PersonalNumbers.redacted(participant))): the ledger holds no events for them", exitCode: .rejectedInput)
        }
        if output.isJSON {
            StandardStreams.print(OrderedJSON.object([
                ("participant", .string(participant)), ("balance", .integer(balance)), ("head_seq", .seq(headSeq)),
            ]).text)
        } else {
            StandardStreams.print(languageOptions.language == .zh
                ? "\(DisplayText.escaped(participant))：行为操守积分 \(balance) 分（台账序号 \(headSeq)）"
                : "\(DisplayText.escaped(participant)): \(balance) points (ledger at seq \(headSeq))")
        }
    }
}
