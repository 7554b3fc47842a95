import ArgumentParser
import EventLog
import Foundation
import LedgerDocuments
import Rehabilitation

/// `recovery log`: prints events in seq order, for people (table), auditors (jsonl) and
/// spreadsheets (csv), narrowed by type, actor, town and time.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print events in seq order (jsonl lines carry hash and record for independent checks).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Only this participant's stream (read through the index).", valueName: "P"))
    var participant: String?

    @Option(help: ArgumentHelp("Start at this seq.", valueName: "SEQ"))
    var from: UInt64 = 1

    @Option(help: ArgumentHelp("Print at most N events (after the filters).", valueName: "N"))
    var limit: Int?

    @Option(name: .customLong("type"), help: ArgumentHelp("Only events of this type (check_in or check-in; repeat for several).", valueName: "TYPE"))
    var types: [String] = []

    @Option(help: ArgumentHelp("Only events recorded by this actor.", valueName: "A"))
    var actor: String?

    @Option(help: ArgumentHelp("Only events of participants who belonged to this town when the event was recorded (id or Chinese name).", valueName: "TOWN"), completion: TownCompletion.kind)
    var town: String?

    @Option(help: ArgumentHelp("Only events whose time (at) is on or after this date (the city's day) or RFC 3339 instant.", valueName: "DATE|TIME"))
    var since: String?

    @Option(help: ArgumentHelp("Only events whose time (at) is on or before this date (the whole day) or instant.", valueName: "DATE|TIME"))
    var until: String?

    @Option(help: ArgumentHelp("Only events recorded on or after this date or instant.", valueName: "DATE|TIME"))
    var recordedSince: String?

    @Option(help: "Output format: table, jsonl or csv.")
    var format: OutputFormat = .table

    @OptionGroup var tabular: TabularOptions

    func validate() throws {
        guard [.table, .jsonl, .csv].contains(format) else { throw ValidationError("--format must be table, jsonl or csv") }
        try tabular.check(format, formatGiven: format != .table)
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        for type in types where EventType(name: type.replacingOccurrences(of: "-", with: "_")) == nil {
            throw ValidationError("--type: \(type) is not a type of the catalogue (docs/events.md)")
        }
        for (name, value) in [("since", since), ("until", until), ("recorded-since", recordedSince)] {
            if let value, Self.bound(value, endOfDay: false) == nil { throw ValidationError("--\(name) must be a date YYYY-MM-DD or an RFC 3339 time with an offset") }
        }
    }

    /// A date's first (or, with `endOfDay`, last) millisecond in the city's zone, or an instant.
    static func bound(_ text: String, endOfDay: Bool) -> Int64? {
        if text.utf8.count == 10 {
            guard let date = CivilDate(text) else { return nil }
            return endOfDay ? CityZone.endOfDay(date) : CityZone.startOfDay(date)
        }
        return try? Timestamp.parse(text).get()
    }

    func run() throws {
        // A ledger's log is read with its city (words, towns); a bare log as it is.
        let bare = try EventLog.open(at: storeOptions.folder)
        let ledger = try bare.metadata("city") != nil ? storeOptions.openLedger() : nil
        let log = ledger?.log ?? bare
        let city = ledger?.city
        let wanted = Set(types.map { $0.replacingOccurrences(of: "-", with: "_") })
        let since = since.flatMap { Self.bound($0, endOfDay: false) }
        let until = until.flatMap { Self.bound($0, endOfDay: true) }
        let recordedSince = recordedSince.flatMap { Self.bound($0, endOfDay: false) }
        var townFilter: (id: String, histories: [String: TownHistory])?
        if let town {
            guard let city, let ledger else { throw CLIFailure("--town needs a ledger with a city", exitCode: .rejectedInput) }
            let id = try TownArgument.resolve(town, in: city)
            let histories = try participant.map { one in try ledger.townHistory(of: one).map { [one: $0] } ?? [:] } ?? ledger.townHistories()
            townFilter = (id, histories)
        }
        func matches(_ event: StoredEvent) -> Bool {
            if !wanted.isEmpty, !wanted.contains(event.type) { return false }
            if let actor, event.actor != actor { return false }
            if let since, event.at < since { return false }
            if let until, event.at > until { return false }
            if let recordedSince, event.recordedAt < recordedSince { return false }
            if let townFilter, townFilter.histories[event.stream]?.town(atSeq: event.seq) != townFilter.id { return false }
            return true
        }
        var output = OutputBuffer()
        let form = tabular.form(format)
        var table: TabularWriter?
        // A bare log has no city: its words then name towns by id.
        let words = city ?? City(name: "", towns: [])
        if format != .jsonl {
            table = TabularWriter(columns: LogTable.columns, form: form) { StandardStreams.write($0) }
        }
        var printed = 0
        var failure: SpreadsheetCSV.Failure?
        let emit: (LoggedEntry) -> Bool = { entry in
            guard matches(entry.event) else { return true }
            if let limit, printed >= limit { return false }
            printed += 1
            if format == .jsonl {
                LogJSONL.write(entry, into: &output.bytes)
                output.flushIfLarge()
            } else {
                do { try table?.add(LogTable.cells(entry.event, city: words, form: form)) } catch { failure = error as? SpreadsheetCSV.Failure ?? .writer("\(error)"); return false }
            }
            return true
        }
        if limit != 0 {
            if let participant {
                try log.events(of: participant, from: from, limit: nil, emit)
            } else {
                try log.scanEntries(from: from, limit: nil, emit)
            }
        }
        if let failure { throw CLIFailure(failure.description, exitCode: .internalError) }
        do { try table?.finish() } catch { throw CLIFailure(error.description, exitCode: .internalError) }
        output.flush()
    }
}
