import EventLog
import Foundation
@preconcurrency import Glibc

/// Raw writes to standard output and error: callers buffer, so `log` streams millions of
/// lines without per-line overhead.
enum StandardStreams {
    /// Writes a message for people: its lines stay lines, but any other control character
    /// (an escape sequence, a carriage return in something the message repeats) is shown as
    /// an escape, so no input can restyle the terminal or overwrite the line.
    static func writeError(_ text: String) {
        writeAll(Array(DisplayText.escapedKeepingLines(text).utf8), to: STDERR_FILENO)
    }

    /// Writes progress as it is: its carriage returns redraw the line on purpose.
    static func writeProgress(_ text: String) {
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
