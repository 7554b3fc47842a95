import EventLog
import Foundation
import LMDB
import Rehabilitation
@preconcurrency import Glibc

/// Reads a JSON Lines stream (a file, a pipe, a FIFO, standard input) in chunks of whole
/// lines, so an import of any size needs memory for a chunk or two, never for the file.
/// A line longer than the parser accepts is cut after one byte too many (the parser then
/// refuses it with its line number) and the rest of it is skipped, so one endless line
/// cannot fill memory either.
final class LineChunkReader: @unchecked Sendable {
    /// About how many bytes a chunk holds: large enough that handing a chunk to another
    /// core costs nothing next to parsing it, small enough to keep memory flat.
    static let chunkBytes = 1 << 20
    /// The longest line kept whole (the parser refuses longer ones).
    static let lineLimit = EventInputParser.maximumLineBytes

    private let handle: FileHandle
    private var pending: [UInt8] = []
    private var skipping = false
    private var endOfStream = false
    private var nextLine = 1
    private var offset = 0
    /// The stream's size when it is a regular file (for progress), else nil.
    let size: Int?

    /// Opens `path` ("-" for standard input). Refuses, with the system's reason, what cannot be read.
    init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw CLIFailure("cannot read \(path): \(StoreFolder.describe(errno: errno))", exitCode: .rejectedInput)
            }
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }
        var status = stat()
        let known = fstat(handle.fileDescriptor, &status) == 0
        if known, (status.st_mode & S_IFMT) == S_IFDIR {
            throw CLIFailure("cannot read \(path): it is a folder", exitCode: .rejectedInput)
        }
        size = known && (status.st_mode & S_IFMT) == S_IFREG ? Int(status.st_size) : nil
    }

    /// The next chunk of whole lines, or nil at the end of the stream. The reader's state is
    /// worked on in locals and stored back once: a class's properties touched per line cost a
    /// dynamic exclusivity check each, which was a quarter of an import's parsing thread.
    func next() throws -> LineChunk? {
        var bytes = pending
        pending = []
        bytes.reserveCapacity(Self.chunkBytes + Self.lineLimit + 2)
        var skipping = self.skipping
        var endOfStream = self.endOfStream
        var offset = self.offset
        defer {
            self.skipping = skipping
            self.endOfStream = endOfStream
            self.offset = offset
        }
        var lineStart = 0
        // Bounded by the stream: every turn reads a block, and an empty block ends it.
        while !endOfStream, lineStart == 0 || bytes.count < Self.chunkBytes {
            let block: [UInt8]
            do {
                block = Array(try handle.read(upToCount: Self.chunkBytes) ?? Data())
            } catch {
                throw CLIFailure("cannot read the input: \(error.localizedDescription)", exitCode: .rejectedInput)
            }
            offset += block.count
            if block.isEmpty {
                endOfStream = true
                break
            }
            var index = 0
            while index < block.count {
                let newline = block[index...].firstIndex(of: 0x0A)
                if skipping {
                    guard let newline else { break }
                    skipping = false
                    index = newline
                    continue
                }
                let end = newline ?? block.count
                let room = Self.lineLimit + 1 - (bytes.count - lineStart)
                if end - index > room {
                    bytes.append(contentsOf: block[index ..< index + room])
                    skipping = true
                    index += room
                    continue
                }
                bytes.append(contentsOf: block[index ..< end])
                guard let newline else { break }
                bytes.append(0x0A)
                lineStart = bytes.count
                index = newline + 1
            }
        }
        if !endOfStream {
            pending = Array(bytes[lineStart...])
            bytes.removeSubrange(lineStart...)
        }
        guard !bytes.isEmpty else { return nil }
        let chunk = LineChunk(bytes: bytes, firstLine: nextLine, endOffset: offset - pending.count)
        nextLine += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return chunk
    }
}
