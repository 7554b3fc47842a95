import ArgumentParser
import EventLog
import Foundation
import LedgerDocuments
import LedgerWeb
import Rehabilitation

/// `recovery report`: the year's printable report, one self-contained HTML file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the year's printable report (A4, self-contained HTML): figures beside the published targets, the towns, the trend charts.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The year (as of its 31 December).")
    var year: Int

    @Option(help: ArgumentHelp("Only this town (id or Chinese name).", valueName: "TOWN"), completion: TownCompletion.kind)
    var town: String?

    @Option(help: ArgumentHelp("The HTML file to write (an existing file is replaced).", valueName: "FILE.html"), completion: .file(extensions: ["html"]))
    var out: String

    @OptionGroup var languageOptions: LanguageOptions

    func validate() throws {
        guard (2 ... 9998).contains(year) else { throw ValidationError("--year must be between 2 and 9998") }
        guard out.hasSuffix(".html") || out.hasSuffix(".htm") else { throw ValidationError("--out must name an .html file") }
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        let town = try town.map { try TownArgument.resolve($0, in: ledger.city) }
        // The trend: from the first year with events (at most the statistics' year limit back).
        let first = try ledger.eventYears().map { max($0.lowerBound, year - Ledger.maximumStatisticsYears + 1) } ?? year
        let years = Array(min(first, year) ... year).map { (year: $0, asOf: CivilDate(year: $0, month: 12, day: 31)!) }
        let reports = try ledger.statistics(years: years, town: town)
        guard let report = reports.last else { throw CLIFailure("no report for \(year)", exitCode: .internalError) }
        let trend = reports.map { yearly in
            (year: yearly.year, figures: town.flatMap { id in yearly.towns.first { $0.town.id == id }?.figures } ?? yearly.city)
        }
        let html = ReportPage.render(report: report, trend: trend, city: ledger.city, town: town, language: languageOptions.language)
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: out))
        } catch {
            throw CLIFailure("\(out): cannot write the report (\(error.localizedDescription))", exitCode: .internalError)
        }
        StandardStreams.print("wrote \(out): the \(year) report of \(town ?? ledger.city.name) (\(reports.count) years of trend, ledger seq \(report.headSeq))")
    }
}
