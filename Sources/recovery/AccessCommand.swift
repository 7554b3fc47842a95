import ArgumentParser
import EventLog
import Foundation
import LedgerDocuments
import Rehabilitation

/// `recovery access`: the server's identities, kept as events of the `_access` stream, and
/// the access log. The CLI on the store is the root of trust: it grants the first admin.
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access", abstract: "Grant, revoke and list the server's identities; read the access log.",
        subcommands: [Grant.self, Revoke.self, List.self, Log.self])

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant", abstract: "Grant ROLE to ACTOR and print a fresh token, once (only its SHA-256 is stored).")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The identity (1–64 characters of A-Z a-z 0-9 . _ @ -).", valueName: "ACTOR"))
        var identity: String
        @Option(help: ArgumentHelp("recorder, town_office, city_office, auditor or admin.", valueName: "ROLE"))
        var role: String
        @Option(name: .customLong("town"), help: ArgumentHelp("A town of a recorder or town office, by id or Chinese name (repeat for several).", valueName: "TOWN"),
                completion: TownCompletion.kind)
        var towns: [String] = []
        @Option(help: ArgumentHelp("Who grants (recorded as the event's actor).", valueName: "NAME"))
        var actor = "cli"
        @Flag(help: "Print {\"identity\",\"role\",\"towns\",\"token\"}.")
        var json = false
        @OptionGroup var languageOptions: LanguageOptions

        func run() throws {
            guard let role = Role(name: role) else {
                throw CLIFailure("--role must be one of \(Role.allCases.map(\.name).joined(separator: ", "))", exitCode: .rejectedInput)
            }
            let ledger = try storeOptions.openLedger()
            // A town's Chinese name stands for its id; anything else goes to the grant's own
            // check, which refuses it with its code (access.towns).
            let ids = towns.map { ledger.city.resolveTown($0)?.id ?? $0 }
            let granted = try ledger.grant(identity, role: role, towns: ids, by: actor)
            if json {
                StandardStreams.print(GrantDocument.json(granted.identity, token: granted.token).text)
            } else {
                StandardStreams.writeError(languageOptions.language == .zh
                    ? "已授予 \(granted.identity.name) \(Vocabulary.choice(role.name).zh)角色\(granted.identity.towns.isEmpty ? "" : "（\(granted.identity.towns.joined(separator: "、"))）")；以下令牌只显示这一次\n"
                    : "granted \(role.name) to \(granted.identity.name)\(granted.identity.towns.isEmpty ? "" : " for \(granted.identity.towns.joined(separator: ", "))"); the token below is shown once\n")
                StandardStreams.print(granted.token)
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke ACTOR's access: its token fails from the next request on.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The identity.", valueName: "ACTOR"))
        var identity: String
        @Option(help: ArgumentHelp("Who revokes (recorded as the event's actor).", valueName: "NAME"))
        var actor = "cli"

        @OptionGroup var languageOptions: LanguageOptions

        func run() throws {
            guard try storeOptions.openLedger().revoke(identity, by: actor) != nil else {
                throw CLIFailure("no identity \(DisplayText.escaped(identity)) holds access (see `recovery access list`)", exitCode: .rejectedInput)
            }
            StandardStreams.print(languageOptions.say("已撤销 \(identity) 的授权", "revoked \(identity)"))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The identities in force (never their tokens).")
        @OptionGroup var storeOptions: StoreOptions
        @Flag(help: "Print JSON.")
        var json = false
        @OptionGroup var languageOptions: LanguageOptions

        func run() throws {
            let identities = try storeOptions.openLedger().accessRegister().identities.values.sorted { $0.name < $1.name }
            if json {
                StandardStreams.print(OrderedJSON.object([("identities", .array(identities.map(IdentityDocument.json)))]).text)
                return
            }
            let header = languageOptions.language == .zh ? ["身份", "角色", "镇街", "授权时间（UTC）", "授权人"] : ["IDENTITY", "ROLE", "TOWNS", "GRANTED AT (UTC)", "BY"]
            for line in TextTable.render(header: header, rows: identities.map {
                [$0.name, $0.role.name, $0.towns.isEmpty ? "(all)" : $0.towns.joined(separator: " "), Timestamp.utcString($0.grantedAt), $0.grantedBy]
            }) { StandardStreams.print(line) }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log", abstract: "Who read which participants, through the server.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("Only this identity's reads.", valueName: "ACTOR"))
        var actor: String?
        @Option(help: ArgumentHelp("Only reads naming this participant.", valueName: "ID"))
        var participant: String?
        @Option(help: ArgumentHelp("Only reads at or after this RFC 3339 time.", valueName: "TIME"))
        var since: String?
        @Flag(help: "Print JSON Lines.")
        var json = false

        func validate() throws {
            if let since, (try? Timestamp.parse(since).get()) == nil { throw ValidationError("--since must be an RFC 3339 time") }
        }

        @OptionGroup var languageOptions: LanguageOptions

        func run() throws {
            let ledger = try storeOptions.openLedger()
            let instant = since.flatMap { try? Timestamp.parse($0).get() }
            var from: UInt64 = 1
            var rows: [[String]] = []
            // Bounded by the access log's length: each page moves `from` past what it read.
            while true {
                let page = try ledger.accessRecords(from: from, limit: 1000, actor: actor, participant: participant, since: instant)
                for (number, record) in page.records {
                    if json {
                        StandardStreams.print(AccessRecordDocument.json(number: number, record).text)
                    } else {
                        rows.append([String(number), Timestamp.utcString(record.at), record.actor, record.route,
                                     (record.participants + record.towns.map { "town:\($0)" }).prefix(5).joined(separator: " ")
                                         + (record.participants.count + record.towns.count > 5 ? " …" : "")])
                    }
                }
                guard let next = page.next else { break }
                from = next
            }
            if !json {
                let header = languageOptions.language == .zh ? ["序号", "时间（UTC）", "访问者", "路由", "涉及"] : ["SEQ", "AT (UTC)", "ACTOR", "ROUTE", "CONCERNING"]
                for line in TextTable.render(header: header, rows: rows) { StandardStreams.print(line) }
            }
        }
    }
}
