import ArgumentParser
import EventLog
import LedgerDocuments
import Rehabilitation

/// `recovery rebuild`: recomputes every projection from the log.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Drop and recompute every projection from the log (--check: compare only; exit 1 on differences).")

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var languageOptions: LanguageOptions

    @Flag(help: "Recompute aside and compare with the live projections, changing nothing.")
    var check = false

    @OptionGroup var output: TableOrJSONOptions


    func run() throws {
        let ledger = try storeOptions.openLedger()
        let asJSON = output.isJSON
        if check {
            let result = try ledger.checkProjections()
            if asJSON {
                StandardStreams.print(OrderedJSON.object([
                    ("consistent", .bool(result.consistent)), ("events", .int(result.events)),
                    ("differences", .array(result.differences.map {
                        .object([("participant", .string($0.participant)), ("projection_balance", .optional($0.storedBalance)),
                                 ("rebuilt_balance", .optional($0.rebuiltBalance)), ("state_only", .bool($0.stateOnly))])
                    })),
                ]).text)
            } else {
                let say = languageOptions.say
                StandardStreams.print(result.consistent
                    ? say("一致：投影与按 \(result.events) 条事件重建的结果相同", "consistent: the projections match a rebuild from \(result.events) events")
                    : say("不一致：\(result.differences.count) 名人员不同", "INCONSISTENT: \(result.differences.count) participants differ"))
                for difference in result.differences {
                    StandardStreams.print("  \(DisplayText.escaped(difference.participant)): projection \(difference.storedBalance.map(String.init) ?? "missing"), "
                        + "rebuilt \(difference.rebuiltBalance.map(String.init) ?? "missing")\(difference.stateOnly ? " (state differs)" : "")")
                }
            }
            if !result.consistent { throw ExitCode.damageFound }
            return
        }
        let report = try ledger.rebuild()
        if asJSON {
            StandardStreams.print(OrderedJSON.object([
                ("events", .int(report.events)), ("participants", .int(report.participants)),
                ("seconds", .number((report.seconds * 1000).rounded() / 1000)),
                ("events_per_second", .integer(Int64(report.eventsPerSecond.rounded()))),
            ]).text)
        } else {
            let seconds = String(format: "%.3f", report.seconds), rate = Int(report.eventsPerSecond.rounded())
            StandardStreams.print(languageOptions.say("已按 \(report.events) 条事件重建 \(report.participants) 名人员的投影，用时 \(seconds) 秒（每秒 \(rate) 条）",
                                                      "rebuilt \(report.participants) participants from \(report.events) events in \(seconds) s (\(rate) events/s)"))
        }
    }
}
