import EventLog
import LedgerDocuments
import Rehabilitation

/// `recovery record`'s command line, derived from the catalogue's one definition of each type
/// (`EventType.definition`): the type's word, one option per data field, its value and its
/// help. Adding a field to the catalogue adds its option here; nothing is written per type.
enum RecordForm {
    /// The types a person records (system types are the ledger's own).
    static let types: [EventType] = EventType.acceptedTypes

    /// `check_in` → `check-in`: the word typed after `record`.
    static func word(_ type: EventType) -> String { type.name.replacingOccurrences(of: "_", with: "-") }

    /// The type a word names (`check-in` or `check_in`).
    static func type(named word: String) -> EventType? {
        guard let type = EventType(name: word.replacingOccurrences(of: "-", with: "_")), types.contains(type) else { return nil }
        return type
    }

    /// One option of a type: the data field it fills.
    struct Option {
        let field: FieldDefinition
        /// Without the dashes: `result`, `amount` (for `amount_fen`, typed in 元).
        let name: String
        var isYuan: Bool { field.name.hasSuffix(RecordForm.fenSuffix) }
    }

    /// Integer fields whose name ends so are money: typed in 元 under the name without it.
    static let fenSuffix = "_fen"

    static func options(of type: EventType) -> [Option] {
        type.definition.fields.map { field in
            let base = field.name.hasSuffix(fenSuffix) ? String(field.name.dropLast(fenSuffix.count)) : field.name
            return Option(field: field, name: base.replacingOccurrences(of: "_", with: "-"))
        }
    }

    /// The options every type takes besides its fields.
    static let common: [(name: String, value: String, help: Label)] = [
        ("at", "TIME", Label("事件时间：RFC 3339（2026-12-06T09:30:00+08:00）或本市时间 YYYY-MM-DD HH:MM；默认为现在",
                             "when it happened: RFC 3339 (2026-12-06T09:30:00+08:00) or the city's wall clock, YYYY-MM-DD HH:MM; default now")),
        ("id", "ID", Label("事件编号（幂等键）；默认生成按时间排序的 UUIDv7，重试时沿用所打印的编号",
                           "the event id (idempotency key); default a fresh time-ordered UUIDv7 — retry with the id printed")),
        ("actor", "ACTOR", Label("记录人；默认 $RECOVERY_ACTOR，否则为登录用户名", "who records it; default $RECOVERY_ACTOR, else the login name")),
        ("expect-version", "N", Label("仅当该人员已有恰好 N 条事件时才记录", "refuse unless the participant's stream holds exactly N events")),
        ("json", "", Label("输出 {\"seq\":N,\"duplicate\":BOOL,\"id\":\"…\"}；拒绝时输出拒绝文档", "print {\"seq\":N,\"duplicate\":BOOL,\"id\":\"…\"}; on refusal, the refusal document")),
        ("store", "DIR", Label("账本目录（默认 $RECOVERY_STORE，否则 ./recovery-data）", "the ledger folder (default: $RECOVERY_STORE, else ./recovery-data)")),
    ]

    /// What an option takes, in words.
    static func valueHelp(_ option: Option, _ language: Language) -> (value: String, help: String) {
        let field = option.field
        let label = Vocabulary.field(field.name)[language]
        let optional = field.isOptional
            ? (language == .zh ? "（可选）" : " (optional)") : ""
        switch field.kind {
        case .choice(let set):
            let defaultName = field.defaultCode.flatMap { code in set.choices.first { $0.code == code }?.name }
            let choices = set.choices.map { "\($0.name) \(Vocabulary.choice($0.name).zh)" }.joined(separator: " | ")
            let fallback = defaultName.map { language == .zh ? "；默认 \($0)" : "; default \($0)" } ?? ""
            return (set.choices.map(\.name).joined(separator: "|"), "\(label)\(optional): \(choices)\(fallback)")
        case .integer(let range, _):
            if option.isYuan {
                return ("YUAN", language == .zh ? "\(label)：以元为单位，最多两位小数（1200.00）" : "\(label): in yuan, at most two decimals (1200.00)")
            }
            return ("N", "\(label)\(optional): \(range.lowerBound)…\(range.upperBound)")
        case .flag:
            return ("yes|no", "\(label)\(optional): yes | no")
        case .town:
            return ("TOWN", language == .zh ? "\(label)：镇街编号或中文名（encheng 或 恩城街道）" : "\(label): the town's id or Chinese name (encheng or 恩城街道)")
        case .text:
            let meaning = field.meaning.map { " — \($0)" } ?? ""
            return ("TEXT", "\(label)\(optional): 1–\(FieldKind.maximumTextScalars) characters\(meaning)")
        }
    }

    /// `recovery record TYPE --help`.
    static func help(of type: EventType, _ language: Language) -> String {
        let name = Vocabulary.eventType(type)
        var lines = [
            "\(word(type)) — \(name.zh) (\(name.en)): \(type.definition.acceptedWhen)",
            "",
            "USAGE: recovery record \(word(type)) PARTICIPANT" + options(of: type).map { option in
                let value = valueHelp(option, language).value
                return option.field.isOptional ? " [--\(option.name) \(value)]" : " --\(option.name) \(value)"
            }.joined() + " [--at TIME] [--id ID] [--actor ACTOR] [--json]",
            "",
            "OPTIONS:",
        ]
        for option in options(of: type) {
            let (value, help) = valueHelp(option, language)
            lines.append("  --\(option.name) \(value)")
            lines.append("      \(help)")
        }
        for common in common {
            lines.append("  --\(common.name)\(common.value.isEmpty ? "" : " " + common.value)")
            lines.append("      \(common.help[language])")
        }
        return lines.joined(separator: "\n")
    }

    /// The list of types, for `recovery record --help`.
    static var typesHelp: String {
        "Types (recovery record TYPE --help shows a type's options):\n" + types.map { type in
            let name = Vocabulary.eventType(type)
            let fields = options(of: type).map { "--\($0.name)" }.joined(separator: " ")
            return "  \(word(type)) (\(name.zh)) \(fields)"
        }.joined(separator: "\n")
    }

    /// The event's `data` from the values typed, or the refusal append would give (same
    /// field path, same code) for a value that cannot be what the field takes.
    static func data(of type: EventType, values: [String: String], city: City) -> Result<JSONValue, InputError> {
        var members: [String: JSONValue] = [:]
        for option in options(of: type) {
            guard let text = values[option.name] else { continue }
            let field = option.field
            let path = "data.\(field.name)"
            switch field.kind {
            case .integer:
                if option.isYuan {
                    guard let fen = EntryValues.fen(yuan: text) else {
                        return .failure(InputError(field: path, code: .dataType, reason: "--\(option.name): an amount in yuan with at most two decimals, e.g. 1200.00, not \"\(DisplayText.escaped(text))\""))
                    }
                    members[field.name] = .integer(fen)
                } else {
                    guard let number = Int64(text) else {
                        return .failure(InputError(field: path, code: .dataType, reason: "--\(option.name): a whole number, not \"\(DisplayText.escaped(text))\""))
                    }
                    members[field.name] = .integer(number)
                }
            case .flag:
                switch text.lowercased() {
                case "yes", "true", "是", "y": members[field.name] = .bool(true)
                case "no", "false", "否", "n": members[field.name] = .bool(false)
                default:
                    return .failure(InputError(field: path, code: .dataType, reason: "--\(option.name): yes or no, not \"\(DisplayText.escaped(text))\""))
                }
            case .choice(let set):
                // The code, kebab-case or snake_case, or its Chinese or English label.
                let snake = text.replacingOccurrences(of: "-", with: "_")
                let named = set.choices.first { $0.name == snake || Vocabulary.choice($0.name).zh == text || Vocabulary.choice($0.name).en == text }
                members[field.name] = .string(named?.name ?? text)
            case .town:
                members[field.name] = .string(city.resolveTown(text)?.id ?? text)
            case .text:
                members[field.name] = .string(text)
            }
        }
        return .success(.object(members))
    }
}
