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
    var year: Int?

    @Option(help: ArgumentHelp("A range of years for trends (2016-2022): one row per year and town, each as of 31 December.", valueName: "Y1-Y2"))
    var years: String?

    @Option(help: ArgumentHelp("The local day on which states are taken (default: Y-12-31).", valueName: "DATE"))
    var asOf: String?

    @Option(help: ArgumentHelp("Only events recorded by this RFC 3339 time.", valueName: "TIME"))
    var knownAt: String?

    @Option(help: ArgumentHelp("Only events with seq ≤ N.", valueName: "N"))
    var atSeq: UInt64?

    @Option(help: ArgumentHelp("Narrow the towns to this one, by id or Chinese name (the city figures stay whole).", valueName: "TOWN"), completion: TownCompletion.kind)
    var town: String?

    @OptionGroup var output: TableJSONCSVOptions

    /// `--years Y1-Y2` as a range, or nil if it is not one.
    static func range(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = Int(parts[0]), let last = Int(parts[1]), first <= last else { return nil }
        return first ... last
    }

    /// The years asked for, each with its as-of day.
    var asked: [(year: Int, asOf: CivilDate)] {
        if let year { return [(year, asOf.flatMap { CivilDate($0) } ?? CivilDate(year: year, month: 12, day: 31)!)] }
        return (years.flatMap(Self.range) ?? 0 ... -1).map { ($0, CivilDate(year: $0, month: 12, day: 31)!) }
    }

    func validate() throws {
        guard (year == nil) != (years == nil) else { throw ValidationError("give --year Y or --years Y1-Y2") }
        if let year, !(2 ... 9998).contains(year) { throw ValidationError("--year must be between 2 and 9998") }
        if let years {
            guard let range = Self.range(years), range.lowerBound >= 2, range.upperBound <= 9998 else {
                throw ValidationError("--years must be Y1-Y2, two years from 2 to 9998, the first not after the second")
            }
            guard range.count <= Ledger.maximumStatisticsYears else { throw ValidationError("--years: at most \(Ledger.maximumStatisticsYears) years at once") }
            if asOf != nil { throw ValidationError("--as-of is for one --year; each year of --years is taken on its 31 December") }
        }
        if let asOf, CivilDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
        if knownAt != nil && atSeq != nil { throw ValidationError("give --known-at or --at-seq, not both") }
        if let knownAt, (try? Timestamp.parse(knownAt).get()) == nil || knownAt.count == 10 {
            throw ValidationError("--known-at must be an RFC 3339 time with an offset")
        }
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        let town = try town.map { try TownArgument.resolve($0, in: ledger.city) }
        var cut = LedgerCut.everything
        if let atSeq { cut = .seq(atSeq) }
        if let knownAt, let instant = try? Timestamp.parse(knownAt).get() { cut = .recordedBy(instant) }
        let reports = try ledger.statistics(years: asked, cut: cut, town: town)
        let several = years != nil
        if output.isJSON {
            StandardStreams.print(several ? OrderedJSON.object([("years", .array(reports.map { StatisticsOutput.json($0) }))]).text
                                          : StatisticsOutput.json(reports[0]).text)
            return
        }
        switch output.form {
        case .table(let language):
            let text = several ? StatisticsOutput.trendTable(reports, cityName: ledger.city.name, language: language)
                               : StatisticsOutput.table(reports[0], cityName: ledger.city.name, language: language)
            StandardStreams.write(Array(text.utf8))
        case let form:
            do { StandardStreams.write(try StatisticsOutput.csv(reports, city: ledger.city, form: form)) } catch {
                throw CLIFailure(error.description, exitCode: .internalError)
            }
        }
    }
}
