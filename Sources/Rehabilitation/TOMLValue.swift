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
