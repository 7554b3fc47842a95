import EventLog

/// Turns one JSON object (a line of JSON Lines, or `append --event`) into a `NewEvent`,
/// enforcing the envelope rules of docs/events.md: the shape every event of the ledger
/// shares (its `participant` is the log's stream). The catalogue checks `type` and `data`.
public enum EventInputParser {
    /// The longest line accepted, in bytes.
    public static let maximumLineBytes = 64 * 1024
    /// The longest canonical JSON text of `data`, in bytes.
    public static let maximumDataBytes = 4 * 1024

    /// Parses `bytes[range]`; errors carry no line number (callers add it).
    public static func parse(_ bytes: [UInt8], in range: Range<Int>) -> Result<NewEvent, InputError> {
        guard range.count <= maximumLineBytes else {
            return .failure(InputError(field: nil, code: .lineTooLong, reason: "line is longer than 64 KiB (\(range.count) bytes)"))
        }
        let members: [(key: String, value: JSONValue)]
        do {
            members = try JSONParser.parseObjectMembers(bytes, in: range)
        } catch {
            return .failure(InputError(field: nil, code: .jsonSyntax, reason: "invalid JSON at byte \(error.offset + 1): \(error.reason)"))
        }
        return parse(members: members)
    }

    /// Parses the members of one event object already read as JSON (a server request's).
    public static func parse(members: [(key: String, value: JSONValue)]) -> Result<NewEvent, InputError> {
        var id: String?
        var type: String?
        var participant: String?
        var at: Int64?
        var actor: String?
        var data: JSONValue = .object([:])
        for (key, value) in members {
            switch key {
            case "id", "type", "participant", "actor":
                guard let text = value.stringValue else { return typeError(key, "a string", value) }
                let (isValid, rule) = Self.rule(of: key, text)
                guard isValid else { return fieldError(key, .envelopeInvalid, rule) }
                switch key {
                case "id": id = text
                case "type": type = text
                case "participant": participant = text
                default: actor = text
                }
            case "at":
                guard let text = value.stringValue else { return typeError(key, "a string", value) }
                switch CityZone.parseInstant(text) {
                case .success(let instant): at = instant
                case .failure(let error): return fieldError(key, .atInvalid, error.reason)
                }
            case "data":
                guard case .object = value else { return typeError(key, "an object", value) }
                let length = JSONWriter.canonicalLength(value)
                guard length <= maximumDataBytes else {
                    return fieldError(key, .dataTooLarge, "JSON text is \(length) bytes; at most 4096 are allowed")
                }
                data = value
            default:
                // Named for the user to find it, but never with a personal identifier or a
                // control character in it: the privacy screen has not run yet.
                return fieldError(DisplayText.escaped(PersonalNumbers.redacted(key)), .envelopeUnknownField, "unknown field (allowed: id, type, participant, at, actor, data)")
            }
        }
        guard let type else { return fieldError("type", .envelopeMissing, "is required") }
        guard let participant else { return fieldError("participant", .envelopeMissing, "is required") }
        guard let at else { return fieldError("at", .envelopeMissing, "is required") }
        guard let actor else { return fieldError("actor", .envelopeMissing, "is required") }
        return .success(NewEvent(id: id, type: type, stream: participant, at: at, actor: actor, data: data))
    }

    /// Whether `text` keeps the character and length rule of the envelope field `key`, and the
    /// rule as a refusal states it.
    private static func rule(of key: String, _ text: String) -> (Bool, String) {
        switch key {
        case "id": (isValid(text, maximum: 128, allowed: isIdentifierByte), "must be 1–128 characters of A-Z a-z 0-9 . _ : -")
        case "type": (isValidType(text), "must match [a-z][a-z0-9_]{0,63}")
        case "participant": (isValidParticipant(text), participantRule)
        default: (isValid(text, maximum: 64, allowed: isActorByte), "must be 1–64 characters of A-Z a-z 0-9 . _ -")
        }
    }

    /// Parses a whole text holding one event.
    public static func parse(_ text: String) -> Result<NewEvent, InputError> {
        let bytes = Array(text.utf8)
        return parse(bytes, in: 0 ..< bytes.count)
    }

    private static func fieldError(_ field: String, _ code: RefusalCode, _ reason: String) -> Result<NewEvent, InputError> {
        .failure(InputError(field: field, code: code, reason: reason))
    }

    private static func typeError(_ field: String, _ expected: String, _ value: JSONValue) -> Result<NewEvent, InputError> {
        fieldError(field, .envelopeType, "must be \(expected), not \(value.typeName)")
    }

    /// Whether `text` is a participant id as events name it (a URL's id is checked with this too).
    package static func isValidParticipant(_ text: String) -> Bool { isValid(text, maximum: 32, allowed: isParticipantByte) }

    /// The participant id's rule, as refusals state it.
    package static let participantRule = "must be 1–32 characters of A-Z a-z 0-9 -"

    static func isValid(_ text: String, maximum: Int, allowed: (UInt8) -> Bool) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= maximum else { return false }
        return utf8.allSatisfy(allowed)
    }

    static func isValidType(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"), utf8.count <= 64 else { return false }
        return utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isParticipantByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-")
    }

    static func isActorByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isActorByte(byte) || byte == UInt8(ascii: ":")
    }
}
