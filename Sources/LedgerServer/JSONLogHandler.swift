import EventLog
import Foundation
import Logging

/// swift-log's handler for the server: one JSON object per line on standard error, with the
/// time (UTC), level, message and metadata as members (docs/server.md, "The log"). Written by
/// hand with the ledger's own JSON writer and clock format: Foundation's date formatter and
/// JSONSerialization took half the server's CPU at 1,500 requests/s (measured with perf).
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: "{\"time\":\"\(Timestamp.utcString(EventLog.systemClock()))\",\"level\":\"\(event.level.rawValue)\",\"message\":".utf8)
        JSONWriter.writeString(event.message.description, into: &line)
        let members = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        for key in members.keys.sorted() {
            line.append(UInt8(ascii: ","))
            JSONWriter.writeString(key, into: &line)
            line.append(UInt8(ascii: ":"))
            Self.write(members[key]!, into: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        // One write per line: lines shorter than a pipe's buffer never interleave.
        line.withUnsafeBytes { bytes in _ = Foundation.write(2, bytes.baseAddress, bytes.count) }
    }

    /// Numbers as numbers (logged as `.stringConvertible` ints and doubles), the rest as text.
    private static func write(_ value: Logger.MetadataValue, into line: inout [UInt8]) {
        switch value {
        case .string(let text): JSONWriter.writeString(text, into: &line)
        case .stringConvertible(let convertible):
            if convertible is Int || convertible is Double || convertible is UInt {
                line.append(contentsOf: "\(convertible)".utf8)
            } else {
                JSONWriter.writeString("\(convertible)", into: &line)
            }
        case .array(let values):
            line.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                write(element, into: &line)
            }
            line.append(UInt8(ascii: "]"))
        case .dictionary(let members):
            line.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(key, into: &line)
                line.append(UInt8(ascii: ":"))
                write(members[key]!, into: &line)
            }
            line.append(UInt8(ascii: "}"))
        }
    }
}
