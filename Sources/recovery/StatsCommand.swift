import ArgumentParser
import EventLog
import LedgerDocuments
import Rehabilitation

/// `recovery stats`: the yearly figures the city publishes, computed from the events alone.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "The city's yearly figures (docs/statistics.md), per town.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The year (local dates Y-01-01 … Y-12-31).")
    var year: Int

    @Option(help: ArgumentHelp("The local day on which states are taken (default: Y-12-31).", valueName: "DATE"))
    var asOf: String?

    @Option(help: ArgumentHelp("Only events recorded by this RFC 3339 time.", valueName: "TIME"))
    var knownAt: String?

    @Option(help: ArgumentHelp("Only events with seq ≤ N.", valueName: "N"))
    var atSeq: UInt64?

    @Option(help: ArgumentHelp("Narrow the towns to this one (the city figures stay whole).", valueName: "ID"))
    var town: String?

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Flag(help: "Short for --format json.")
    var json = false

    func validate() throws {
        guard [.table, .json, .csv].contains(format) else { throw ValidationError("--format must be table, json or csv") }
        guard (2 ... 9998).contains(year) else { throw ValidationError("--year must be between 2 and 9998") }
        if let asOf, CivilDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
        if knownAt != nil && atSeq != nil { throw ValidationError("give --known-at or --at-seq, not both") }
        if let knownAt, (try? Timestamp.parse(knownAt).get()) == nil || knownAt.count == 10 {
            throw ValidationError("--known-at must be an RFC 3339 time with an offset")
        }
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        let town = try town.map { try TownArgument.resolve($0, in: ledger.city) }
        let day = asOf.flatMap { CivilDate($0) } ?? CivilDate(year: year, month: 12, day: 31)!
        var cut = LedgerCut.everything
        if let atSeq { cut = .seq(atSeq) }
        if let knownAt, let instant = try? Timestamp.parse(knownAt).get() { cut = .recordedBy(instant) }
        let report = try ledger.statistics(year: year, asOf: day, cut: cut, town: town)
        switch json ? .json : format {
        case .json: StandardStreams.print(StatisticsOutput.json(report).text)
        case .csv: StandardStreams.write(Array(StatisticsOutput.csv(report).utf8))
        default: StandardStreams.write(Array(StatisticsOutput.table(report, cityName: ledger.city.name).utf8))
        }
    }
}
