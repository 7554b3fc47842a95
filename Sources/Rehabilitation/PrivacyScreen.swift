import EventLog

/// Keeps personal identifiers out of the ledger: an event is refused when any of its strings
/// (id, type, participant, actor, every key and string value of `data` at any depth) holds
/// something shaped like a Chinese resident identity number or a mainland mobile number,
/// however it is written (`PersonalNumbers` says how text is read), or when two of its
/// strings joined, in either order, hold one (a number split across two fields).
public enum PrivacyScreen {
    /// The first field holding a personal identifier, with why; nil when the event is clean.
    public static func check(_ event: NewEvent) -> InputError? {
        // The hot path: every string alone, noting whether any begins with a digit — only
        // then can two strings join into a number. A clean event ends here.
        var quick = QuickPass()
        if let id = event.id { quick.visit(id) }
        quick.visit(event.type)
        quick.visit(event.participant)
        quick.visit(event.actor)
        quick.visit(event.data)
        if quick.isClean { return nil }
        // Something to report or to join: once more, in a fixed order, with field names.
        var texts: [ScreenedText] = []
        if let id = event.id { texts.append(ScreenedText(field: "id", text: id)) }
        texts.append(ScreenedText(field: "type", text: event.type))
        texts.append(ScreenedText(field: "participant", text: event.participant))
        texts.append(ScreenedText(field: "actor", text: event.actor))
        collect(event.data, path: "data", into: &texts)
        guard let hit = firstHit(in: texts) else { return nil }
        return InputError(field: texts[hit.first].field, code: .privacyIdentifier, reason: reason(hit, in: texts))
    }

    /// Screens what the adoption of a rules document by `actor` stores besides the document's
    /// own strings and lines (screened with their line numbers when it is read,
    /// `PointsRules(submitted:)`): the actor, alone and joined with the document.
    public static func check(adoptionOf document: String, by actor: String, reason: String? = nil) -> InputError? {
        var texts = [ScreenedText(field: "--actor", text: actor), ScreenedText(field: "the rules document", text: document)]
        if let reason { texts.append(ScreenedText(field: "reason", text: reason)) }
        guard let hit = firstHit(in: texts) else { return nil }
        return InputError(field: texts[hit.first].field, code: .privacyIdentifier, reason: Self.reason(hit, in: texts))
    }

    /// Screens the texts a system event stores (an identity's name, its towns), alone and
    /// joined: `fields` pairs each field's name with its text.
    public static func check(fields: [(name: String, text: String)]) -> InputError? {
        let texts = fields.map { ScreenedText(field: $0.name, text: $0.text) }
        guard let hit = firstHit(in: texts) else { return nil }
        return InputError(field: texts[hit.first].field, code: .privacyIdentifier, reason: reason(hit, in: texts))
    }

    /// A string to screen, and where it is, for messages.
    struct ScreenedText {
        /// The field (`data.course`), or for a key the object holding it.
        let field: String
        var line: Int? = nil
        var isKey = false
        let text: String

        var place: String { isKey ? "a key of \(field)" : field }
    }

    /// A number in one string (`second` nil), or across two, the first's end joined to the
    /// second's start.
    struct Hit {
        let first: Int
        let second: Int?
        let finding: PersonalNumbers.Finding
    }

    /// The first string holding a number, else the first two that do when joined.
    static func firstHit(in texts: [ScreenedText]) -> Hit? {
        var scans: [PersonalNumbers.Edges] = []
        scans.reserveCapacity(texts.count)
        for (index, screened) in texts.enumerated() {
            let (finding, edges) = PersonalNumbers.scan(screened.text)
            if let finding { return Hit(first: index, second: nil, finding: finding) }
            scans.append(edges)
        }
        let heads = scans.indices.filter { scans[$0].head.count > 0 }
        guard !heads.isEmpty else { return nil }
        // Every string's end against every string's start: at most a thousand strings fit in
        // an event's 4 KiB of data, and most strings begin with a letter, so this stays small.
        for first in scans.indices where scans[first].tail.count > 0 {
            for second in heads where second != first {
                if let finding = PersonalNumbers.joined(tail: scans[first].tail, head: scans[second].head,
                                                        headEndsInX: scans[second].headEndsInX) {
                    return Hit(first: first, second: second, finding: finding)
                }
            }
        }
        return nil
    }

    /// Why a hit is refused, naming the other field for a split number; shows only the
    /// masked number.
    static func reason(_ hit: Hit, in texts: [ScreenedText]) -> String {
        var parts: [String] = []
        if texts[hit.first].isKey { parts.append("a key here") }
        if let second = hit.second { parts.append("joined with \(texts[second].place)") }
        let prefix = parts.isEmpty ? "" : parts.joined(separator: ", ") + ", "
        return prefix + "contains what looks like \(hit.finding.kind) (\(hit.finding.masked)); "
            + "the ledger keeps pseudonymous ids only, never personal identifiers"
    }

    /// `data`'s strings in canonical order (keys sorted), each key before its value.
    private static func collect(_ value: JSONValue, path: String, into texts: inout [ScreenedText]) {
        switch value {
        case .string(let text):
            texts.append(ScreenedText(field: path, text: text))
        case .array(let elements):
            for (index, element) in elements.enumerated() { collect(element, path: "\(path)[\(index)]", into: &texts) }
        case .object(let members):
            for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                texts.append(ScreenedText(field: path, isKey: true, text: key))
                collect(members[key]!, path: path + "." + displayed(key: key), into: &texts)
            }
        default:
            break
        }
    }

    /// A key as a message shows it in a field path: its digits hidden (a key may be the
    /// start or the end of a split number) and its control characters escaped.
    static func displayed(key: String) -> String {
        var shown = ""
        for scalar in key.unicodeScalars {
            shown.unicodeScalars.append(scalar.properties.numericType == nil ? scalar : "*")
        }
        return DisplayText.escaped(shown)
    }

    /// Screens strings one by one, allocating nothing.
    private struct QuickPass {
        private(set) var foundNumber = false
        private(set) var someStringBeginsWithADigit = false

        var isClean: Bool { !foundNumber && !someStringBeginsWithADigit }

        mutating func visit(_ text: String) {
            let (finding, edges) = PersonalNumbers.scan(text)
            if finding != nil { foundNumber = true }
            if edges.head.count > 0 { someStringBeginsWithADigit = true }
        }

        mutating func visit(_ value: JSONValue) {
            switch value {
            case .string(let text): visit(text)
            case .array(let elements): for element in elements { visit(element) }
            case .object(let members):
                for (key, member) in members {
                    visit(key)
                    visit(member)
                }
            default: break
            }
        }
    }
}
