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
        let reader = try LineChunkReader(path: file)
        let ledger = try storeOptions.openLedger()
        let showProgress = StandardStreams.errorIsTerminal && (reader.size ?? Int.max) > 4 << 20
        let summary = try Self.importLines(from: reader, into: ledger, showProgress: showProgress)
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

    /// Appends every line of a JSON Lines buffer to `ledger` in one atomic batch.
    static func importLines(_ bytes: [UInt8], into ledger: Ledger) throws -> BatchSummary {
        try importChunks(into: ledger, progress: ImportProgress(totalBytes: bytes.count, enabled: false)) {
            $0 == 0 ? LineChunkReader.Chunk(bytes: bytes, firstLine: 1, endOffset: bytes.count) : nil
        }
    }

    /// Appends every line of a stream to `ledger` in one atomic batch, a chunk at a time.
    static func importLines(from reader: LineChunkReader, into ledger: Ledger, showProgress: Bool) throws -> BatchSummary {
        try importChunks(into: ledger, progress: ImportProgress(totalBytes: reader.size ?? 0, enabled: showProgress)) { _ in
            try reader.next()
        }
    }

    /// The import proper: one write transaction; refusals are collected per line and abort
    /// the whole batch. Chunks are read, parsed, screened and typed one ahead on another
    /// core while this thread (the one holding the write transaction) submits the one before.
    private static func importChunks(
        into ledger: Ledger, progress: ImportProgress, next: @escaping @Sendable (Int) throws -> LineChunkReader.Chunk?
    ) throws -> BatchSummary {
        typealias Prepared = (lines: [JSONLines.Line], events: [Result<PreparedEvent, InputError>], endOffset: Int)
        @Sendable func prepared(_ chunk: LineChunkReader.Chunk) -> Prepared {
            let lines = Array(JSONLines(chunk.bytes, firstNumber: chunk.firstLine))
            let events = lines.map { line in
                EventInputParser.parse(chunk.bytes, in: line.range).mapError { $0.at(line: line.number) }.flatMap { event in
                    ledger.prepare(event).mapError { $0.at(line: line.number) }
                }
            }
            return (lines, events, chunk.endOffset)
        }
        return try ledger.submitBatch { batch in
            progress.restart()
            var index = 0
            var current: Prepared? = try next(index).map(prepared)
            while let chunk = current {
                index += 1
                let following = Mutex<Result<Prepared?, any Error>>(.success(nil))
                let preparing = DispatchGroup()
                let number = index
                DispatchQueue.global().async(group: preparing) {
                    let outcome = Result { try next(number).map(prepared) }
                    following.withLock { $0 = outcome }
                }
                for (line, event) in zip(chunk.lines, chunk.events) {
                    try batch.submit(event, line: line.number)
                    progress.update(line: line.number, byteOffset: chunk.endOffset)
                }
                preparing.wait()
                current = try following.withLock { $0 }.get()
            }
            progress.finish()
        }.summary
    }
}
