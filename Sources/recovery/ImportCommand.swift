import ArgumentParser
import EventLog
import Rehabilitation
import Foundation

/// `recovery import`: appends a JSON Lines file atomically — every new event or none.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append a JSON Lines file atomically: every new event in it lands, or none does.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The JSON Lines file, or - for standard input.", valueName: "FILE"))
    var file: String

    @OptionGroup var output: TableOrJSONOptions


    func run() throws {
        let bytes = try readInput()
        let ledger = try storeOptions.openLedger()
        let summary = try Self.importLines(bytes, into: ledger, showProgress: StandardStreams.errorIsTerminal && bytes.count > 4 << 20)
        if output.isJSON {
            let first = summary.firstSeq.map(String.init) ?? "null"
            let last = summary.lastSeq.map(String.init) ?? "null"
            StandardStreams.print("{\"appended\":\(summary.appended),\"duplicates\":\(summary.duplicates),\"first_seq\":\(first),\"last_seq\":\(last)}")
        } else if let first = summary.firstSeq, let last = summary.lastSeq {
            StandardStreams.print("appended \(summary.appended) events (seq \(first)–\(last)); \(summary.duplicates) duplicates skipped")
        } else {
            StandardStreams.print("appended 0 events; \(summary.duplicates) duplicates skipped")
        }
    }

    /// Appends every line of a JSON Lines buffer to `ledger` in one atomic batch; refusals
    /// are collected per line and abort the whole batch.
    static func importLines(_ bytes: [UInt8], into ledger: Ledger, showProgress: Bool) throws -> BatchSummary {
        let lines = JSONLines(bytes)
        let progress = ImportProgress(totalBytes: bytes.count, enabled: showProgress)
        return try ledger.submitBatch(reserve: bytes.count * 3) { batch in
            progress.restart()
            for line in lines {
                switch EventInputParser.parse(bytes, in: line.range) {
                case .success(let event): try batch.submit(event, line: line.number)
                case .failure(let error): batch.reject(error.at(line: line.number))
                }
                progress.update(line: line.number, byteOffset: line.range.upperBound)
            }
            progress.finish()
        }.summary
    }

    private func readInput() throws -> [UInt8] {
        if file == "-" { return try StandardStreams.readStandardInput() }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIFailure("cannot read \(file): no such readable file", exitCode: .rejectedInput)
        }
        return [UInt8](data)
    }
}
