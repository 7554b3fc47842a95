import ArgumentParser
import EventLog
import LedgerDocuments
import Rehabilitation

/// `recovery activity`: the monthly work report (月报), and its quarterly (季评比) and yearly
/// (年评议) sums — per town and per actor, what was recorded in the period.
struct ActivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "What each town's workers recorded in a month, quarter or year (docs/statistics.md).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The month (local dates, Asia/Shanghai).", valueName: "YYYY-MM"))
    var month: String?

    @Option(help: ArgumentHelp("The quarter, n from 1 to 4.", valueName: "YYYY-Qn"))
    var quarter: String?

    @Option(help: ArgumentHelp("The year.", valueName: "YYYY"))
    var year: String?

    @Option(help: ArgumentHelp("Only this town, by id or Chinese name (the city totals stay whole).", valueName: "TOWN"), completion: TownCompletion.kind)
    var town: String?

    @OptionGroup var output: TableJSONCSVOptions

    /// The period asked for; nil when the options do not name exactly one valid period.
    var period: ActivityPeriod? {
        if let month, quarter == nil, year == nil { return ActivityPeriod(month: month) }
        if let quarter, month == nil, year == nil { return ActivityPeriod(quarter: quarter) }
        if let year, month == nil, quarter == nil { return ActivityPeriod(year: year) }
        return nil
    }

    func validate() throws {
        guard [month, quarter, year].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --month YYYY-MM, --quarter YYYY-Qn or --year YYYY")
        }
        let years = "\(ActivityPeriod.years.lowerBound)–\(ActivityPeriod.years.upperBound)"
        if let month, ActivityPeriod(month: month) == nil { throw ValidationError("--month must be YYYY-MM (month 01–12, year \(years))") }
        if let quarter, ActivityPeriod(quarter: quarter) == nil { throw ValidationError("--quarter must be YYYY-Qn (n from 1 to 4, year \(years))") }
        if let year, ActivityPeriod(year: year) == nil { throw ValidationError("--year must be YYYY (\(years))") }
    }

    func run() throws {
        guard let period else { throw CLIFailure("no period", exitCode: .internalError) }
        let ledger = try storeOptions.openLedger()
        let town = try town.map { try TownArgument.resolve($0, in: ledger.city) }
        let report = try ledger.activity(period, town: town)
        if output.isJSON {
            StandardStreams.print(ActivityOutput.json(report).text)
            return
        }
        do {
            try ActivityOutput.write(report, cityName: ledger.city.name, form: output.form) { StandardStreams.write($0) }
        } catch {
            throw CLIFailure(error.description, exitCode: .internalError)
        }
    }
}
