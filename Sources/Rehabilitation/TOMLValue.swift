import EventLog

/// A value of the TOML subset the ledger reads (docs/rules.md lists it).
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    /// A TOML local date (`2021-01-01` without quotes).
    case date(CivilDate)
    case array([TOMLValue])

    var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .bool: "a boolean"
        case .date: "a date"
        case .array: "an array"
        }
    }
}

/// One table: its keys, each with the line it was written on (for error messages).
public struct TOMLTable: Sendable {
    public internal(set) var entries: [String: (value: TOMLValue, line: Int)] = [:]
    /// The line of the table's header (0 for the root table).
    public let line: Int
    /// Keys in the order written.
    public internal(set) var keyOrder: [String] = []

    init(line: Int) { self.line = line }
}

/// A parse or validation failure in a TOML document, naming the line or the key at fault.
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int?
    public let key: String?
    public let reason: String

    public init(line: Int?, key: String?, reason: String) {
        self.line = line
        self.key = key
        self.reason = reason
    }

    public var description: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let key { parts.append(key) }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }
}
