import ArgumentParser
import EventLog
import LedgerDocuments
import Rehabilitation

/// `recovery append`: appends one event in its own durable transaction.
struct AppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append", abstract: "Append one event (JSON object from --event or standard input); prints its seq.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The event as one JSON object; read from standard input when absent.", valueName: "OBJECT"))
    var event: String?

    @Option(help: ArgumentHelp("Refuse the event unless the participant's stream holds exactly N events.", valueName: "N"))
    var expectVersion: Int?

    @Flag(help: "Print {\"seq\":N,\"duplicate\":BOOL}; on refusal, the refusal document of docs/cli.md.")
    var json = false

    func validate() throws {
        if let expectVersion, expectVersion < 0 { throw ValidationError("--expect-version must be 0 or more") }
    }

    func run() throws {
        let text: [UInt8]
        if let event { text = Array(event.utf8) } else { text = try StandardStreams.readStandardInput() }
        var end = text.count
        while end > 0, [0x0A, 0x0D, 0x20, 0x09].contains(text[end - 1]) { end -= 1 }
        let outcome = try RefusalDocument.printingRefusals(json: json) { () throws -> AppendOutcome in
            let newEvent = try EventInputParser.parse(text, in: 0 ..< end).mapError { LogError.rejected(errors: [$0], total: 1) }.get()
            return try storeOptions.openLedger().append(newEvent, expectedVersion: expectVersion)
        }
        if json {
            let duplicate = if case .duplicate = outcome { true } else { false }
            StandardStreams.print("{\"seq\":\(outcome.seq),\"duplicate\":\(duplicate)}")
        } else {
            StandardStreams.print("\(outcome.seq)")
        }
    }
}
