import ArgumentParser
import Dispatch
import EventLog
import Rehabilitation
import Synchronization
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
        let progress = ImportProgress(totalBytes: bytes.count, enabled: showProgress)
        // Lines are parsed, screened and typed a chunk ahead on another core, while this
        // thread (the one holding the write transaction) submits the chunk before.
        @Sendable func prepared(_ chunk: [JSONLines.Line]) -> [Result<PreparedEvent, InputError>] {
            chunk.map { line in
                EventInputParser.parse(bytes, in: line.range).mapError { $0.at(line: line.number) }.flatMap { event in
                    ledger.prepare(event).mapError { $0.at(line: line.number) }
                }
            }
        }
        return try ledger.submitBatch(reserve: bytes.count * 3) { batch in
            progress.restart()
            let lines = JSONLines(bytes).makeIterator()
            func nextChunk() -> [JSONLines.Line] {
                var chunk: [JSONLines.Line] = []
                chunk.reserveCapacity(Self.chunkSize)
                while chunk.count < Self.chunkSize, let line = lines.next() { chunk.append(line) }
                return chunk
            }
            var chunk = nextChunk()
            var events = prepared(chunk)
            while !chunk.isEmpty {
                let following = nextChunk()
                let ahead = Mutex<[Result<PreparedEvent, InputError>]>([])
                let preparing = DispatchGroup()
                if !following.isEmpty {
                    DispatchQueue.global().async(group: preparing) { ahead.withLock { $0 = prepared(following) } }
                }
                for (line, event) in zip(chunk, events) {
                    try batch.submit(event, line: line.number)
                    progress.update(line: line.number, byteOffset: line.range.upperBound)
                }
                preparing.wait()
                chunk = following
                events = ahead.withLock { $0 }
            }
            progress.finish()
        }.summary
    }

    /// Lines prepared per hand-over between the two cores: small enough to keep memory flat,
    /// large enough that handing over costs nothing next to the work.
    static let chunkSize = 4_096

    private func readInput() throws -> [UInt8] {
        if file == "-" { return try StandardStreams.readStandardInput() }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIFailure("cannot read \(file): no such readable file", exitCode: .rejectedInput)
        }
        return [UInt8](data)
    }
}
