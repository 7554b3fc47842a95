import Foundation
@preconcurrency import Glibc

/// Raw writes to standard output and error: callers buffer, so `log` streams millions of
/// lines without per-line overhead.
enum StandardStreams {
    static func writeError(_ text: String) {
        writeAll(Array(text.utf8), to: STDERR_FILENO)
    }

    static func write(_ bytes: [UInt8]) {
        writeAll(bytes, to: STDOUT_FILENO)
    }

    /// Writes every byte, retrying short writes; a closed pipe ends the process quietly.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    Glibc.exit(errno == EPIPE ? 0 : 70)
                }
                offset += written
            }
        }
    }

    static func print(_ text: String) {
        write(Array((text + "\n").utf8))
    }

    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// Reads all of standard input.
    static func readStandardInput() throws -> [UInt8] {
        [UInt8](try FileHandle.standardInput.readToEnd() ?? Data())
    }
}
