import ArgumentParser
import EnpingScenario
import EventLog
import LedgerDocuments
import Foundation
import Rehabilitation

/// `recovery demo`: the Enping 2022 reference scenario end to end — generate the seeded
/// history, import it into a fresh ledger, verify the chain, print the 2022 report per town
/// beside the published figures, and the alerts for a day in January 2023.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Generate, import, verify and report the Enping 2022 reference scenario.")

    @Option(help: ArgumentHelp("Keep the ledger in DIR (default: a temporary folder, removed afterwards).", valueName: "DIR"))
    var store: String?

    @Option(help: "The scenario's seed.")
    var seed: UInt64 = 2022

    @Option(help: ArgumentHelp("The day of the alerts.", valueName: "DATE"))
    var alertsOn: String = "2023-01-10"

    @OptionGroup var languageOptions: LanguageOptions

    func validate() throws {
        if CivilDate(alertsOn) == nil { throw ValidationError("--alerts-on must be a date YYYY-MM-DD") }
    }

    func run() throws {
        let started = Date()
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-demo-\(UUID().uuidString)").path
        let folder = store ?? temporary
        defer { if store == nil { try? FileManager.default.removeItem(atPath: temporary) } }

        var history: [UInt8] = []
        EnpingScenario.write(seed: seed, into: &history)
        let generated = Date()
        let ledger = try Ledger.create(at: folder)
        let summary = try ledger.importLines(history)
        let imported = Date()
        let verification = try ledger.log.verify()
        guard verification.ok else {
            throw CLIFailure("verify failed at seq \(verification.firstBadSeq ?? 0): \(verification.reason ?? "")", exitCode: .damageFound)
        }
        let verified = Date()
        let reports = try ledger.statistics(years: PublishedFigures.years.map { ($0, CivilDate(year: $0, month: 12, day: 31)!) })
        guard let report = reports.last, report.year == PublishedFigures.year else {
            throw CLIFailure("no report for \(PublishedFigures.year)", exitCode: .internalError)
        }
        let day = CivilDate(alertsOn)!
        let alerts = try ledger.alerts(on: day)

        func seconds(_ from: Date, _ to: Date) -> String { String(format: "%.2f s", to.timeIntervalSince(from)) }
        var out: [String] = []
        out.append("Enping (恩平) reference scenario, seed \(seed): \(summary.appended) events generated in \(seconds(started, generated)), "
            + "imported in \(seconds(generated, imported)), chain verified in \(seconds(imported, verified))")
        out.append("ledger: \(store ?? "(temporary)") — head seq \(verification.headSeq), head hash \(verification.headHash)")
        out.append(contentsOf: try Self.proofs(ledger))
        out.append("")
        out.append(contentsOf: Self.published { year in reports.first { $0.year == year }?.city })
        out.append("")
        out.append(StatisticsOutput.table(report, cityName: ledger.city.name, language: languageOptions.language))
        out.append(AlertsOutput.table(alerts, day: day, city: ledger.city, language: languageOptions.language))
        out.append("done in \(seconds(started, Date()))")
        StandardStreams.write(Array((out.joined(separator: "\n") + "\n").utf8))
    }

    /// The signed checkpoint, and one participant's receipt checked with the public key alone
    /// (docs/proofs.md): what the city would publish, and what a participant could be given.
    static func proofs(_ ledger: Ledger) throws -> [String] {
        let key = try Proofs.signer(folder: ledger.log.folder)
        let checkpoint = try ProofDocument.checkpoint(of: ledger.log, key: key)
        var participant: String?
        try ledger.log.scan { event in
            if !Ledger.isSystemStream(event.stream) { participant = event.stream }
            return participant == nil
        }
        var lines = ["checkpoint: \(key.name), \(checkpoint.size) events, Merkle root \(ChainHash.hex(checkpoint.root)), signed by \(key.verifier.text)"]
        if let participant, let receipt = try ProofDocument.receipt(of: ledger.log, participant: participant, key: key) {
            let checked = try ProofDocument.check(Array(receipt.document.text.utf8), key: key.verifier)
            lines.append("receipt of \(participant): \(checked.entries.count) events, each proved in the tree of \(checked.checkpoint.size) with the public key alone (`recovery receipt`, `recovery check-proof`)")
        }
        return lines
    }

    /// The figures Enping published beside what the ledger computes for the same year.
    static func published(_ city: (Int) -> CityFigures?) -> [String] {
        let matches = PublishedFigures.allMatch(city)
        return ["Published \(PublishedFigures.year) figures vs the ledger (\(matches ? "all match" : "MISMATCH")):"]
            + TextTable.render(header: ["figure", "year", "published", "ledger", "agrees"], rows: PublishedFigures.enping.map { figure in
                let figures = city(figure.year)
                return [figure.label.en, String(figure.year), figure.published, figures.map(figure.computed) ?? "—",
                        figures.map(figure.matches) == true ? "yes" : "NO"]
            })
    }
}
