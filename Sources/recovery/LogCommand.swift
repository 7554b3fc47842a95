import ArgumentParser
import EventLog
import LedgerDocuments
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
