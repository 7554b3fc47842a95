import EventLog

/// Keeps personal identifiers out of the ledger: any string of an event (id, participant,
/// actor, and every key and string value of `data`) holding something shaped like a Chinese
/// resident identity number or a mainland mobile number is refused.
public enum PrivacyScreen {
    /// The first field holding a personal identifier, with why; nil when the event is clean.
    public static func check(_ event: NewEvent) -> InputError? {
        if let id = event.id, let what = identifier(in: id) { return refusal("id", what) }
        if let what = identifier(in: event.participant) { return refusal("participant", what) }
        if let what = identifier(in: event.actor) { return refusal("actor", what) }
        return check(event.data, path: "data")
    }

    private static func check(_ value: JSONValue, path: String) -> InputError? {
        switch value {
        case .string(let text):
            return identifier(in: text).map { refusal(path, $0) }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let error = check(element, path: "\(path)[\(index)]") { return error }
            }
        case .object(let members):
            for key in members.keys.sorted() {
                if let what = identifier(in: key) { return refusal(path, what) }
                if let error = check(members[key]!, path: "\(path).\(key)") { return error }
            }
        default:
            break
        }
        return nil
    }

    private static func refusal(_ field: String, _ what: String) -> InputError {
        InputError(line: nil, field: field,
                   reason: "contains what looks like \(what); the ledger keeps pseudonymous ids only, never personal identifiers")
    }

    /// Names the kind of identifier found in `text`, if any. Digit runs are examined whole,
    /// so "not preceded or followed by another digit" holds by construction. One pass over
    /// the UTF-8 view, no copies: every string of every imported event goes through here.
    static func identifier(in text: String) -> String? {
        var runLength = 0
        var runFirst: UInt8 = 0
        var runSecond: UInt8 = 0
        var pendingSeventeen = false  // a 17-digit run just ended in X or x
        for byte in text.utf8 {
            if isDigit(byte) {
                if pendingSeventeen { pendingSeventeen = false }  // X followed by a digit: not an id
                if runLength == 0 { runFirst = byte } else if runLength == 1 { runSecond = byte }
                runLength += 1
                continue
            }
            if pendingSeventeen { return "a resident identity number" }
            if let found = examine(runLength, runFirst, runSecond) { return found }
            pendingSeventeen = runLength == 17 && (byte == UInt8(ascii: "X") || byte == UInt8(ascii: "x"))
            runLength = 0
        }
        if pendingSeventeen { return "a resident identity number" }
        return examine(runLength, runFirst, runSecond)
    }

    private static func examine(_ length: Int, _ first: UInt8, _ second: UInt8) -> String? {
        if length == 18 { return "a resident identity number" }
        if length == 11, first == UInt8(ascii: "1"), second >= UInt8(ascii: "3"), second <= UInt8(ascii: "9") {
            return "a mobile phone number"
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
