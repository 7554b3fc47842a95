/// One reason an input event was refused, precise enough to fix the input: which line
/// (nil for a single `append`), which field (nil when the line as a whole is wrong), and why.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int?
    public let field: String?
    public let reason: String

    public init(line: Int?, field: String?, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    /// `line 3: participant: reason`, the format `import` prints.
    public var description: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let field { parts.append(field) }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }

    /// The same error attributed to a line.
    public func at(line: Int) -> InputError {
        InputError(line: line, field: field, reason: reason)
    }
}
