import EventLog

/// Checks a TOML document a person submits (a city file for `init --city`, a rules document
/// for `rules diff`/`rules adopt`) before anything in it is used or repeated: no key or
/// string may hold a control character (they would reach terminals through tables and
/// messages), and nothing in it may look like a personal identifier — in a key or string,
/// in two of them joined, or anywhere in the text, comments included. Errors name the line,
/// and the key where there is one.
enum TOMLScreen {
    static func check(_ text: String, _ document: TOMLDocument) throws(TOMLError) {
        let texts = strings(of: document)
        for screened in texts where screened.text.unicodeScalars.contains(where: DisplayText.isUnsafe) {
            let reason = "contains a control character (\(DisplayText.escaped(firstUnsafe(in: screened.text)))); names must be plain text"
            throw TOMLError(line: screened.line, key: screened.field, reason: screened.isKey ? "a key " + reason : reason)
        }
        if let hit = PrivacyScreen.firstHit(in: texts) {
            throw TOMLError(line: texts[hit.first].line, key: texts[hit.first].field, reason: PrivacyScreen.reason(hit, in: texts))
        }
        try checkRawText(text)
    }

    /// Comments and the text between values: control characters other than the layout's
    /// (tab, line feed, the carriage return of CRLF), and numbers written across them.
    private static func checkRawText(_ text: String) throws(TOMLError) {
        var line = 1
        var scalars = text.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let scalar = next {
            next = scalars.next()
            if scalar == "\n" { line += 1; continue }
            if scalar == "\t" || (scalar == "\r" && (next == "\n" || next == nil)) { continue }
            if DisplayText.isUnsafe(scalar) {
                throw TOMLError(line: line, key: nil, reason: "control character \(DisplayText.escaped(String(scalar))) is not allowed")
            }
        }
        if let finding = PersonalNumbers.first(in: text) {
            let line = 1 + text.utf8.prefix(finding.offset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw TOMLError(line: line, key: nil, reason: "contains what looks like \(finding.kind) (\(finding.masked)); "
                + "the ledger keeps pseudonymous ids only, never personal identifiers")
        }
    }

    private static func firstUnsafe(in text: String) -> String {
        text.unicodeScalars.first(where: DisplayText.isUnsafe).map { String($0) } ?? ""
    }

    /// Every key, table name and string of the document, in line order, named as the
    /// documents' own errors name them (`town[2].name`).
    private static func strings(of document: TOMLDocument) -> [PrivacyScreen.ScreenedText] {
        var texts: [PrivacyScreen.ScreenedText] = []
        func add(_ table: TOMLTable, label: String?) {
            for key in table.keyOrder {
                guard let (value, line) = table.entries[key] else { continue }
                texts.append(.init(field: label ?? "(top level)", line: line, isKey: true, text: key))
                let shown = PrivacyScreen.displayed(key: key)
                add(value, field: label.map { $0 + "." + shown } ?? shown, line: line)
            }
        }
        func add(_ value: TOMLValue, field: String, line: Int) {
            switch value {
            case .string(let text): texts.append(.init(field: field, line: line, text: text))
            case .array(let elements): for (index, element) in elements.enumerated() { add(element, field: "\(field)[\(index)]", line: line) }
            case .integer, .bool, .date: break
            }
        }
        add(document.root, label: nil)
        for (name, table) in document.tables {
            texts.append(.init(field: "(table name)", line: table.line, isKey: true, text: name))
            add(table, label: PrivacyScreen.displayed(key: name))
        }
        for (name, tables) in document.arrays {
            for (position, table) in tables.enumerated() {
                texts.append(.init(field: "(table name)", line: table.line, isKey: true, text: name))
                add(table, label: "\(PrivacyScreen.displayed(key: name))[\(position + 1)]")
            }
        }
        // Dictionaries have no order: sort by line (stable), so the first error is the first written.
        return texts.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
    }
}
