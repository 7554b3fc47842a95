import Dispatch
import EventLog
import Synchronization

/// A piece of a JSON Lines input: whole lines, the number of the first, and how far into
/// the input it ends (for progress).
public struct LineChunk: Sendable {
    public let bytes: [UInt8]
    public let firstLine: Int
    public let endOffset: Int

    public init(bytes: [UInt8], firstLine: Int, endOffset: Int) {
        self.bytes = bytes
        self.firstLine = firstLine
        self.endOffset = endOffset
    }
}

/// Importing JSON Lines: the one pipeline the CLI's `import`, the demo and a server share.
extension Ledger {
    /// Appends every line of a JSON Lines buffer in one atomic batch: every new event lands,
    /// or none does (`LogError.rejected` with each refused line, its field and code).
    public func importLines(_ bytes: [UInt8]) throws -> BatchSummary {
        try importLines(chunks: { $0 == 0 ? LineChunk(bytes: bytes, firstLine: 1, endOffset: bytes.count) : nil })
    }

    /// Appends every line of a stream of chunks (`next(0)`, `next(1)`, … until nil) in one
    /// write transaction; refusals are collected per line and abort the whole batch. Chunks
    /// are read, parsed, screened and checked one ahead on another core while this thread (the
    /// one holding the write transaction) submits the one before. `progress` is told the line
    /// and input offset reached; `restarted` when a batch starts (a batch may run more than
    /// once); `checked` when every line was submitted, before the commit.
    public func importLines(
        chunks next: @escaping @Sendable (Int) throws -> LineChunk?,
        restarted: () -> Void = {}, progress: (_ line: Int, _ byteOffset: Int) -> Void = { _, _ in }, checked: () -> Void = {}
    ) throws -> BatchSummary {
        typealias Prepared = (lines: [JSONLines.Line], events: [Result<PreparedEvent, InputError>], endOffset: Int)
        @Sendable func prepared(_ chunk: LineChunk) -> Prepared {
            let lines = Array(JSONLines(chunk.bytes, firstNumber: chunk.firstLine))
            let events = lines.map { line in
                EventInputParser.parse(chunk.bytes, in: line.range).mapError { $0.at(line: line.number) }.flatMap { event in
                    self.prepare(event).mapError { $0.at(line: line.number) }
                }
            }
            return (lines, events, chunk.endOffset)
        }
        return try submitBatch { batch in
            restarted()
            var index = 0
            var current: Prepared? = try next(index).map(prepared)
            // Bounded by the input: each turn consumes one chunk, and `next` ends the stream.
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
                    progress(line.number, chunk.endOffset)
                }
                preparing.wait()
                current = try following.withLock { $0 }.get()
            }
            checked()
        }.summary
    }
}
