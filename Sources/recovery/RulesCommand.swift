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
            let rules = try storeOptions.openLedger().adoptedRules()
            switch format {
            case .toml:
                // As adopted, but a document adopted before control characters were refused
                // shows them escaped.
                let document = DisplayText.escapedKeepingLines(rules.document)
                StandardStreams.write(Array((document.hasSuffix("\n") ? document : document + "\n").utf8))
            case .json: StandardStreams.print(JSONWriter.text(rules.json))
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff", abstract: "Show which balances adopting FILE would change, changing nothing.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The rules document (TOML).", valueName: "FILE"))
        var file: String
        @OptionGroup var output: TableOrJSONOptions

        func run() throws {
            let rules = try RulesCommand.load(file)
            let diff = try storeOptions.openLedger().diff(adopting: rules)
            RulesCommand.print(diff, json: output.isJSON)
        }
    }

    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "adopt", abstract: "Adopt FILE as the points rules and rebuild the projections, atomically.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The rules document (TOML).", valueName: "FILE"))
        var file: String
        @Option(help: ArgumentHelp("Who adopts the rules (1–64 characters of A-Z a-z 0-9 . _ -).", valueName: "NAME"))
        var actor: String
        @OptionGroup var output: TableOrJSONOptions

        func validate() throws {
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
            let diff = try storeOptions.openLedger().adopt(rules, actor: actor)
            RulesCommand.print(diff, json: output.isJSON)
        }
    }

    enum RulesFormat: String, ExpressibleByArgument, CaseIterable { case toml, json }

    static func load(_ file: String) throws -> PointsRules {
        let text = try TextFile.read(file, what: "rules file")
        do { return try PointsRules(submitted: text) } catch { throw CLIFailure("\(file): \(error)", exitCode: .rejectedInput) }
    }

    static func print(_ diff: RulesDiff, json: Bool) {
        if json {
            StandardStreams.print(RulesDiffDocument.json(diff).text)
            return
        }
        StandardStreams.print("\(diff.changed.count) balances change, \(diff.unchanged) unchanged")
        for change in diff.changed {
            StandardStreams.print("  \(LogTable.pad(change.participant, 34))\(change.before) → \(change.after)")
        }
    }
}
