import EventLog

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
        // A key is input: shown without control characters or a personal identifier.
        if let key { parts.append(DisplayText.escaped(PersonalNumbers.redacted(key))) }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }
}
