import ArgumentParser
import EventLog
import LedgerDocuments
import Rehabilitation
import Foundation

/// `recovery import`: appends a JSON Lines file atomically — every new event or none.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append a JSON Lines file atomically: every new event in it lands, or none does.")

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var languageOptions: LanguageOptions

    @Argument(help: ArgumentHelp("The JSON Lines file, or - for standard input.", valueName: "FILE"), completion: .file())
    var file: String

    @OptionGroup var output: TableOrJSONOptions


    func run() throws {
        let reader = try LineChunkReader(path: file)
        let ledger = try storeOptions.openLedger()
        let showProgress = StandardStreams.errorIsTerminal && (reader.size ?? Int.max) > 4 << 20
        let summary = try RefusalDocument.printingRefusals(json: output.isJSON) {
            try Self.importLines(from: reader, into: ledger, showProgress: showProgress)
        }
        if output.isJSON {
            let first = summary.firstSeq.map(String.init) ?? "null"
            let last = summary.lastSeq.map(String.init) ?? "null"
            StandardStreams.print("{\"appended\":\(summary.appended),\"duplicates\":\(summary.duplicates),\"first_seq\":\(first),\"last_seq\":\(last)}")
        } else if let first = summary.firstSeq, let last = summary.lastSeq {
            StandardStreams.print(languageOptions.say("已追加 \(summary.appended) 条事件（序号 \(first)–\(last)）；跳过重复 \(summary.duplicates) 条",
                                                      "appended \(summary.appended) events (seq \(first)–\(last)); \(summary.duplicates) duplicates skipped"))
        } else {
            StandardStreams.print(languageOptions.say("未追加事件；跳过重复 \(summary.duplicates) 条", "appended 0 events; \(summary.duplicates) duplicates skipped"))
        }
    }

    /// Appends every line of a stream to `ledger` in one atomic batch, a chunk at a time.
    static func importLines(from reader: LineChunkReader, into ledger: Ledger, showProgress: Bool) throws -> BatchSummary {
        let progress = ImportProgress(totalBytes: reader.size ?? 0, enabled: showProgress)
        return try ledger.importLines(chunks: { _ in try reader.next() }, restarted: progress.restart,
                                      progress: progress.update(line:byteOffset:), checked: progress.finish)
    }
}
