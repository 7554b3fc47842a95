import ArgumentParser
import EventLog
import Foundation
import LedgerDocuments
import Rehabilitation
@preconcurrency import Glibc

/// `recovery record TYPE PARTICIPANT [--field value]…`: one event, typed as options (no JSON).
/// The options are the catalogue's fields (`RecordForm`); the event then takes `append`'s path,
/// with its validation, refusal codes and exit codes.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record one event with typed options, no JSON: recovery record TYPE PARTICIPANT [--FIELD VALUE]…",
        discussion: RecordForm.typesHelp + "\n\nAmounts are typed in yuan (元) and stored as integer fen; towns as id or Chinese name; choices as their code or Chinese label.")

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The type (check-in, test-result, …), the participant, then the type's options.", valueName: "TYPE PARTICIPANT OPTIONS"))
    var words: [String] = []

    /// Options that take no value.
    private static let flags: Set<String> = ["json", "help"]
    /// The most words a record takes: every field and common option once, with its value.
    private static let maximumWords = 64

    func run() throws {
        guard words.count <= Self.maximumWords else { throw Self.usage("too many arguments (at most \(Self.maximumWords))") }
        var values: [String: String] = [:]
        var positional: [String] = []
        var index = 0
        // Bounded: each turn consumes one or two words.
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("-"), word != "-" else {
                positional.append(word)
                continue
            }
            var name = String(word.drop(while: { $0 == "-" }))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if name == "h" { name = "help" }
            if Self.flags.contains(name) {
                guard value == nil else { throw Self.usage("--\(name) takes no value") }
                values[name] = ""
                continue
            }
            if value == nil {
                guard index < words.count else { throw Self.usage("--\(name) needs a value") }
                value = words[index]
                index += 1
            }
            guard values[name] == nil else { throw Self.usage("--\(name) given twice") }
            values[name] = value
        }
        let language = try values.removeValue(forKey: "lang").map { text -> Language in
            guard let language = Language(rawValue: text) else { throw Self.usage("--lang must be zh or en") }
            return language
        } ?? LanguageOptions.fromEnvironment
        guard let typeWord = positional.first else {
            if values["help"] != nil { return StandardStreams.print(RecordForm.typesHelp) }
            throw Self.usage("name the type and the participant: recovery record TYPE PARTICIPANT …\n" + RecordForm.typesHelp)
        }
        guard let type = RecordForm.type(named: typeWord) else {
            throw Self.usage("\"\(DisplayText.escaped(typeWord))\" is not a type one records; the types: \(RecordForm.types.map(RecordForm.word).joined(separator: ", "))")
        }
        if values["help"] != nil { return StandardStreams.print(RecordForm.help(of: type, language)) }
        guard positional.count == 2 else {
            throw Self.usage(positional.count < 2 ? "name the participant: recovery record \(RecordForm.word(type)) PARTICIPANT …"
                                                  : "one participant only (\(positional.dropFirst().map(DisplayText.escaped).joined(separator: " ")))")
        }
        let known = Set(RecordForm.options(of: type).map(\.name)).union(RecordForm.common.map(\.name))
        for name in values.keys.sorted() where !known.contains(name) {
            throw Self.usage("--\(DisplayText.escaped(name)) is not an option of \(RecordForm.word(type)) (its options: \(RecordForm.options(of: type).map { "--" + $0.name }.joined(separator: " ")); see recovery record \(RecordForm.word(type)) --help)")
        }
        var storeOptions = StoreOptions()
        storeOptions.store = values["store"]
        let json = values["json"] != nil
        let expectedVersion = try values["expect-version"].map { text -> Int in
            guard let number = Int(text), number >= 0 else { throw Self.usage("--expect-version must be 0 or more") }
            return number
        }
        var id = values["id"] ?? Self.freshID()
        // Without --at, a time-ordered id's own time is the event's: a retry with the id
        // printed is the same event (a duplicate), not a conflict with a later "now".
        func at(of id: String) throws -> String {
            try values["at"].map { try Self.instant($0) }
                ?? Timestamp.utcString(EventID.unixMilliseconds(ofTimeOrdered: id) ?? EventLog.systemClock())
        }
        let actor = try Self.actor(values["actor"])
        let ledger = try storeOptions.openLedger()
        let outcome = try RefusalDocument.printingRefusals(json: json) { () throws -> AppendOutcome in
            let data = try RecordForm.data(of: type, values: values, city: ledger.city).mapError { LogError.rejected(errors: [$0], total: 1) }.get()
            func event(id: String) throws -> NewEvent {
                let members: [(key: String, value: JSONValue)] = [
                    ("id", .string(id)), ("type", .string(type.name)), ("participant", .string(positional[1])),
                    ("at", .string(try at(of: id))), ("actor", .string(actor)), ("data", data),
                ]
                return try EventInputParser.parse(members: members).mapError { LogError.rejected(errors: [$0], total: 1) }.get()
            }
            var prepared = try event(id: id)
            // A fresh id's random hex can read as a mobile or identity number (about one in
            // 400), which the privacy screen rightly refuses: draw another. Bounded, and only
            // when the id alone is the cause (the same event under a letters-only id passes).
            if values["id"] == nil, PrivacyScreen.check(prepared) != nil, PrivacyScreen.check(try event(id: "x")) == nil {
                for _ in 0 ..< Self.maximumIdDraws where PrivacyScreen.check(prepared) != nil {
                    id = Self.freshID()
                    prepared = try event(id: id)
                }
            }
            return try ledger.append(prepared, expectedVersion: expectedVersion)
        }
        let duplicate = if case .duplicate = outcome { true } else { false }
        if json {
            StandardStreams.print(OrderedJSON.object([("seq", .seq(outcome.seq)), ("duplicate", .bool(duplicate)), ("id", .string(id))]).text)
        } else if duplicate {
            StandardStreams.print(language == .zh ? "已记录过：序号 \(outcome.seq)（编号 \(id)），未重复追加" : "already recorded at seq \(outcome.seq) (id \(id)); nothing appended")
        } else {
            let name = Vocabulary.eventType(type)[language]
            StandardStreams.print(language == .zh ? "已记录 \(name)：序号 \(outcome.seq)（编号 \(id)）" : "recorded \(name) at seq \(outcome.seq) (id \(id))")
        }
    }

    /// Fresh ids drawn at most when the privacy screen reads one as a number.
    static let maximumIdDraws = 32

    private static func usage(_ message: String) -> CLIFailure { CLIFailure(message, exitCode: .validationFailure) }

    /// A fresh UUIDv7 from the clock and the system's random source.
    static func freshID() -> String {
        var generator = SystemRandomNumberGenerator()
        return EventID.timeOrdered(unixMilliseconds: EventLog.systemClock(), using: &generator)
    }

    /// `--at`: an RFC 3339 instant as given, a wall-clock time of the city turned into one.
    /// Anything else goes to the envelope's check as typed (at.invalid, 65).
    static func instant(_ text: String) throws -> String {
        EntryValues.instant(local: text) ?? text
    }

    /// `--actor`, else $RECOVERY_ACTOR, else the login name.
    static func actor(_ given: String?) throws -> String {
        if let given { return given }
        let environment = ProcessInfo.processInfo.environment
        for name in ["RECOVERY_ACTOR", "USER", "LOGNAME"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return loginName(uid: geteuid())
    }

    /// The name /etc/passwd gives the user (no USER in a service's or a container's
    /// environment), else `uid-N`: the ledger always says which account recorded an event.
    static func loginName(uid: uid_t) -> String {
        // Bounded: /etc/passwd is read only up to 1 MiB.
        if let handle = FileHandle(forReadingAtPath: "/etc/passwd"), let bytes = try? handle.read(upToCount: 1 << 20),
           let text = String(data: bytes, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: ":", omittingEmptySubsequences: false)
                if fields.count > 2, fields[2] == String(uid), !fields[0].isEmpty { return String(fields[0]) }
            }
        }
        return "uid-\(uid)"
    }
}
