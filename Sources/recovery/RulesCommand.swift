import ArgumentParser
import EventLog
import LedgerDocuments
import Foundation
import Rehabilitation

/// `recovery rules`: the points scheme — show it, preview a change, adopt a change.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Show, preview or adopt the behaviour-conduct points rules.",
        subcommands: [Show.self, Diff.self, Adopt.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the adopted rules document.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Output format: toml or json.")
        var format: RulesFormat = .toml

        func run() throws {
            let ledger = try storeOptions.openLedger()
            let rules = try ledger.adoptedRules()
            let adoption = try ledger.rulesHistory().last
            switch format {
            case .toml:
                // As adopted, but a document adopted before control characters were refused
                // shows them escaped.
                // Comment lines name the adoption and its reason; the document follows exactly
                // as adopted (a TOML comment keeps the output a document one can adopt again).
                if let adoption {
                    StandardStreams.print("# adopted at seq \(adoption.seq) by \(DisplayText.escaped(adoption.actor)), \(CityZone.localString(adoption.recordedAt)) (Asia/Shanghai)")
                    if let reason = adoption.reason { StandardStreams.print("# reason: \(DisplayText.escaped(reason).replacingOccurrences(of: "\n", with: " "))") }
                }
                let document = DisplayText.escapedKeepingLines(rules.document)
                StandardStreams.write(Array((document.hasSuffix("\n") ? document : document + "\n").utf8))
            case .json:
                guard case .object(var members) = rules.json else { return StandardStreams.print(JSONWriter.text(rules.json)) }
                if let adoption {
                    members["adoption"] = .object([
                        "seq": .integer(Int64(adoption.seq)), "actor": .string(adoption.actor),
                        "recorded_at": .string(Timestamp.utcString(adoption.recordedAt)), "reason": adoption.reason.map { .string($0) } ?? .null,
                    ])
                }
                StandardStreams.print(JSONWriter.text(.object(members)))
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff", abstract: "Show which balances adopting FILE would change, changing nothing.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The rules document (TOML).", valueName: "FILE"), completion: .file())
        var file: String
        /// csv: the events whose points change.
        @OptionGroup var output: TableJSONCSVOptions

        func run() throws {
            let rules = try RulesCommand.load(file)
            let ledger = try storeOptions.openLedger()
            let diff = try ledger.diff(adopting: rules)
            try RulesCommand.print(diff, json: output.isJSON, form: output.form)
        }
    }

    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "adopt", abstract: "Adopt FILE as the points rules and rebuild the projections, atomically.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The rules document (TOML).", valueName: "FILE"), completion: .file())
        var file: String
        @Option(help: ArgumentHelp("Who adopts the rules (1–64 characters of A-Z a-z 0-9 . _ -).", valueName: "NAME"))
        var actor: String
        @Flag(help: "Required when a new or changed version takes effect before today: it re-prices events already recorded.")
        var retroactive = false
        @Option(help: ArgumentHelp("Why the rules change (kept in the adoption event; required with --retroactive).", valueName: "TEXT"))
        var reason: String?
        @OptionGroup var output: TableOrJSONOptions
        @OptionGroup var languageOptions: LanguageOptions

        func validate() throws {
            if retroactive, reason == nil { throw ValidationError("--retroactive needs --reason TEXT: why the past is re-priced") }
            let allowed = actor.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || [0x2E, 0x5F, 0x2D].contains($0)
            }
            guard !actor.isEmpty, actor.utf8.count <= 64, allowed else {
                throw ValidationError("--actor must be 1–64 characters of A-Z a-z 0-9 . _ -")
            }
        }

        func run() throws {
            let rules = try RulesCommand.load(file)
            // The actor is stored with the document: screened alone and joined with it.
            if let refusal = PrivacyScreen.check(adoptionOf: rules.document, by: actor) {
                throw CLIFailure(refusal.description, exitCode: .rejectedInput)
            }
            let ledger = try storeOptions.openLedger()
            let today = CityZone.localDate(ofUTC: EventLog.systemClock())
            let backdated = try ledger.retroactiveVersions(of: rules, today: today)
            if !backdated.isEmpty, !retroactive || reason == nil {
                let names = backdated.map { "\"\(DisplayText.escaped($0.name))\" from \($0.effectiveFrom)" }.joined(separator: ", ")
                let preview = try ledger.diff(adopting: rules)
                throw CLIFailure("""
                    \(file): version \(names) takes effect before today (\(today)): adopting it re-prices events already recorded \
                    (\(preview.repricedTotal) events, \(preview.changed.count) balances, \(preview.negative.count) of them below zero). \
                    See them with `recovery rules diff \(file)`; if that is meant, adopt with --retroactive --reason TEXT. Nothing was adopted
                    """, exitCode: .validationFailure)
            }
            let diff = try ledger.adopt(rules, actor: actor, reason: reason)
            try RulesCommand.print(diff, json: output.isJSON, form: .table(languageOptions.language))
        }
    }

    enum RulesFormat: String, ExpressibleByArgument, CaseIterable { case toml, json }

    static func load(_ file: String) throws -> PointsRules {
        let text = try TextFile.read(file, what: "rules file")
        do { return try PointsRules(submitted: text) } catch { throw CLIFailure("\(file): \(error)", exitCode: .rejectedInput) }
    }

    static let eventColumns: [TabularColumn] = [
        TabularColumn("participant", Label("人员", "participant")),
        TabularColumn("seq", Label("序号", "seq"), numeric: true),
        TabularColumn("at", Label("时间", "at (Asia/Shanghai)")),
        TabularColumn("type", Label("类型", "type")),
        TabularColumn("before", Label("原积分", "old delta"), numeric: true),
        TabularColumn("after", Label("新积分", "new delta"), numeric: true),
    ]

    static let balanceColumns: [TabularColumn] = [
        TabularColumn("participant", Label("人员", "participant")),
        TabularColumn("before", Label("原余额", "balance before"), numeric: true),
        TabularColumn("after", Label("新余额", "balance after"), numeric: true),
        TabularColumn("negative", Label("负数", "negative")),
    ]

    /// The diff as JSON, as a table for people (the balances, then the events), or as CSV
    /// (one row per event whose points change).
    static func print(_ diff: RulesDiff, json: Bool, form: TabularForm) throws {
        if json {
            StandardStreams.print(RulesDiffDocument.json(diff).text)
            return
        }
        func eventRow(_ repriced: RepricedEvent) -> [TabularCell] {
            [.text(repriced.event.participant), .text(String(repriced.event.seq)), .instant(repriced.event.at),
             .code(repriced.event.type, Vocabulary.eventType(named: repriced.event.type)),
             .delta(repriced.before), .delta(repriced.after)]
        }
        do {
            guard case .table(let language) = form else {
                var writer = TabularWriter(columns: eventColumns, form: form) { StandardStreams.write($0) }
                for repriced in diff.repriced { try writer.add(eventRow(repriced)) }
                return try writer.finish()
            }
            let zh = language == .zh
            StandardStreams.print(zh ? "\(diff.changed.count) 人积分余额变化，\(diff.unchanged) 人不变；\(diff.repricedTotal) 条事件积分变化；\(diff.negative.count) 人余额将为负数"
                                     : "\(diff.changed.count) balances change, \(diff.unchanged) unchanged; \(diff.repricedTotal) events change points; \(diff.negative.count) balances would become negative")
            if !diff.changed.isEmpty {
                var balances = TabularWriter(columns: balanceColumns, form: form) { StandardStreams.write($0) }
                for change in diff.changed {
                    try balances.add([.text(change.participant), .integer(change.before), .integer(change.after),
                                      .text(change.after < 0 ? (zh ? "⚠ 负数" : "NEGATIVE") : "")])
                }
                try balances.finish()
            }
            if !diff.repriced.isEmpty {
                StandardStreams.print("")
                var events = TabularWriter(columns: eventColumns, form: form) { StandardStreams.write($0) }
                for repriced in diff.repriced { try events.add(eventRow(repriced)) }
                try events.finish()
                if diff.repricedTotal > diff.repriced.count {
                    StandardStreams.print(zh ? "……另有 \(diff.repricedTotal - diff.repriced.count) 条（JSON 中计数）" : "… and \(diff.repricedTotal - diff.repriced.count) more (counted in the JSON)")
                }
            }
        } catch {
            throw CLIFailure(error.description, exitCode: .internalError)
        }
    }
}
