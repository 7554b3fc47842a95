import EventLog

/// A small, strict reader for the subset of TOML that points rules and city files use:
/// comments, `key = value` pairs with bare or quoted keys, `[table]` and `[[array of tables]]`
/// headers, basic and literal strings, integers, booleans, local dates and one-line arrays.
/// Anything else is refused with its line number rather than guessed at.
public struct TOMLDocument: Sendable {
    /// Keys before the first header.
    public private(set) var root = TOMLTable(line: 0)
    /// `[[name]]` tables, in order.
    public private(set) var arrays: [String: [TOMLTable]] = [:]
    /// `[name]` tables.
    public private(set) var tables: [String: TOMLTable] = [:]

    /// The largest document accepted.
    public static let maximumBytes = 64 * 1024

    public init(parsing text: String) throws(TOMLError) {
        guard text.utf8.count <= Self.maximumBytes else {
            throw TOMLError(line: nil, key: nil, reason: "document is larger than 64 KiB")
        }
        enum Target { case root, array(String), table(String) }
        var target = Target.root
        var lineNumber = 0
        // Lines are split on the byte 0x0A, not on Characters: "\r\n" is one Character, so a
        // CRLF document would otherwise be one long line. The scanner drops the "\r".
        for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var scanner = TOMLLineScanner(Array(rawLine), line: lineNumber)
            scanner.skipSpace()
            if scanner.atEndOfContent { continue }
            if scanner.peek == UInt8(ascii: "[") {
                let (name, isArray) = try scanner.header()
                if isArray {
                    guard tables[name] == nil else { throw TOMLError(line: lineNumber, key: name, reason: "already defined as a table") }
                    arrays[name, default: []].append(TOMLTable(line: lineNumber))
                    target = .array(name)
                } else {
                    guard tables[name] == nil, arrays[name] == nil else {
                        throw TOMLError(line: lineNumber, key: name, reason: "table defined twice")
                    }
                    tables[name] = TOMLTable(line: lineNumber)
                    target = .table(name)
                }
                continue
            }
            let (key, value) = try scanner.keyValue()
            func insert(into table: inout TOMLTable) throws(TOMLError) {
                guard table.entries[key] == nil else { throw TOMLError(line: lineNumber, key: key, reason: "duplicate key") }
                table.entries[key] = (value, lineNumber)
                table.keyOrder.append(key)
            }
            switch target {
            case .root: try insert(into: &root)
            case .table(let name): try insert(into: &tables[name]!)
            case .array(let name):
                var tablesOfArray = arrays[name]!
                try insert(into: &tablesOfArray[tablesOfArray.count - 1])
                arrays[name] = tablesOfArray
            }
        }
    }

    /// Refuses every table but `[[name]]`: rules and city documents hold no other kind.
    func refuseTables(otherThan name: String) throws(TOMLError) {
        if let (other, table) = tables.first {
            throw TOMLError(line: table.line, key: other, reason: "unknown table (expected [[\(name)]])")
        }
        for (other, tablesOfArray) in arrays where other != name {
            throw TOMLError(line: tablesOfArray.first?.line, key: other, reason: "unknown table (expected [[\(name)]])")
        }
    }
}
