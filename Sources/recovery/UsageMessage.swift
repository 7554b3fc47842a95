import ArgumentParser
import EventLog
@preconcurrency import Glibc

/// Reports what the argument parser refused (or the help it was asked for) like
/// `ParsableCommand.exit(withError:)`, but through `StandardStreams`, so an argument
/// repeated in the message cannot put a control character on the terminal.
enum UsageMessage {
    static func exit(withError error: Error) -> Never {
        let code = Recovery.exitCode(for: error)
        let message = Recovery.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { StandardStreams.print(message) }
        } else if !message.isEmpty {
            // The one error form (docs/cli.md): every line starts `recovery: `, as every
            // other failure does, so scripts and people read argument errors the same way.
            let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
            StandardStreams.writeError(lines.map { "recovery: " + ($0.hasPrefix("Error: ") ? $0.dropFirst("Error: ".count) : $0) }.joined(separator: "\n") + "\n")
        }
        Glibc.exit(code.rawValue)
    }
}
