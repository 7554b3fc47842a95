import Foundation
import LMDB
@preconcurrency import Glibc

/// Reads a small text document (a rules or city file) from any readable path — a file, a
/// pipe, a FIFO, `/dev/stdin` — refusing with 65 what cannot be read, is too large, or is not
/// UTF-8.
enum TextFile {
    /// Rules and city documents are a few KiB; a limit keeps a wrong path (a disk image, an
    /// endless device) from filling memory.
    static let maximumBytes = 1 << 20

    static func read(_ path: String, what: String) throws -> String {
        let data = try readBytes(path, what: what, maximumBytes: maximumBytes)
        guard data.count <= maximumBytes else {
            throw CLIFailure("\(path): the \(what) is larger than \(maximumBytes) bytes", exitCode: .rejectedInput)
        }
        guard let text = String(bytes: data, encoding: .utf8) else {
            throw CLIFailure("\(path): not UTF-8 text", exitCode: .rejectedInput)
        }
        return text
    }

    /// The file's bytes, at most `maximumBytes + 1` of them (so a caller sees that it is too
    /// long): a caller that checks the bytes itself (`check-proof`) refuses what it must.
    static func readBytes(_ path: String, what: String, maximumBytes: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CLIFailure("cannot read the \(what) \(path): \(StoreFolder.describe(errno: errno))", exitCode: .rejectedInput)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            throw CLIFailure("cannot read the \(what) \(path): \(error.localizedDescription)", exitCode: .rejectedInput)
        }
        return [UInt8](data)
    }
}
