import ArgumentParser
import EventLog
import Foundation

/// `recovery log`: prints events in seq order, for people (table) or auditors (jsonl).
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print events in seq order (jsonl lines carry hash and record for independent checks).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Only this participant's stream (read through the index).", valueName: "P"))
    var participant: String?

    @Option(help: ArgumentHelp("Start at this seq.", valueName: "SEQ"))
    var from: UInt64 = 1

    @Option(help: ArgumentHelp("Print at most N events.", valueName: "N"))
    var limit: Int?

    @Option(help: "Output format: table or jsonl.")
    var format: OutputFormat = .table

    func validate() throws {
        guard [.table, .jsonl].contains(format) else { throw ValidationError("--format must be table or jsonl") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() throws {
        let log = try EventLog.open(at: storeOptions.folder)
        var output = OutputBuffer()
        if format == .table {
            output.line(LogTable.header)
        }
        let emit: (LoggedEntry) -> Bool = { entry in
            if format == .jsonl { LogJSONL.write(entry, into: &output.bytes) } else { output.line(LogTable.row(entry.event)) }
            output.flushIfLarge()
            return true
        }
        if let participant {
            try log.events(of: participant, from: from, limit: limit, emit)
        } else {
            try log.scanEntries(from: from, limit: limit, emit)
        }
        output.flush()
    }
}

/// Collects output and writes it in large blocks.
struct OutputBuffer {
    var bytes: [UInt8] = []

    mutating func line(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0x0A)
    }

    mutating func flushIfLarge() {
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        StandardStreams.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// One JSON object per event with every stored field, `hash` (hex) and `record` (base64).
enum LogJSONL {
    static func write(_ entry: LoggedEntry, into output: inout [UInt8]) {
        let event = entry.event
        output.append(contentsOf: "{\"seq\":\(event.seq),\"id\":".utf8)
        JSONWriter.writeString(event.id, into: &output)
        output.append(contentsOf: ",\"type\":".utf8)
        JSONWriter.writeString(event.type, into: &output)
        output.append(contentsOf: ",\"participant\":".utf8)
        JSONWriter.writeString(event.participant, into: &output)
        output.append(contentsOf: ",\"at\":\"\(Timestamp.utcString(event.at))\",\"actor\":".utf8)
        JSONWriter.writeString(event.actor, into: &output)
        output.append(contentsOf: ",\"data\":".utf8)
        JSONWriter.write(event.data, into: &output)
        output.append(contentsOf: ",\"recorded_at\":\"\(Timestamp.utcString(event.recordedAt))\"".utf8)
        output.append(contentsOf: ",\"hash\":\"\(ChainHash.hex(entry.hash))\"".utf8)
        output.append(contentsOf: ",\"record\":\"\(Data(entry.record).base64EncodedString())\"}\n".utf8)
    }
}

/// The people-facing table: local time in the city's zone.
enum LogTable {
    static let header = pad("SEQ", 8) + pad("AT (Asia/Shanghai)", 21) + pad("TYPE", 22) + pad("PARTICIPANT", 14) + pad("ACTOR", 18) + "ID"

    static func row(_ event: StoredEvent) -> String {
        pad(String(event.seq), 8) + pad(Timestamp.localString(event.at), 21) + pad(event.type, 22)
            + pad(event.participant, 14) + pad(event.actor, 18) + event.id
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
