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
    /// so "not preceded or followed by another digit" holds by construction.
    static func identifier(in text: String) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]) else { index += 1; continue }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            let length = index - start
            if length == 18 { return "a resident identity number" }
            if length == 17, index < bytes.count, bytes[index] == UInt8(ascii: "X") || bytes[index] == UInt8(ascii: "x"),
               index + 1 >= bytes.count || !isDigit(bytes[index + 1]) {
                return "a resident identity number"
            }
            if length == 11, bytes[start] == UInt8(ascii: "1"), bytes[start + 1] >= UInt8(ascii: "3"), bytes[start + 1] <= UInt8(ascii: "9") {
                return "a mobile phone number"
            }
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
