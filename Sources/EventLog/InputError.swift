/// One reason an input event was refused, precise enough to fix the input: which line
/// (nil for a single `append`), which field (nil when the line as a whole is wrong), a stable
/// code a program can act on (docs/cli.md lists them), and why, for people.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int?
    public let field: String?
    public let code: RefusalCode
    public let reason: String

    public init(line: Int? = nil, field: String?, code: RefusalCode, reason: String) {
        self.line = line
        self.field = field
        self.code = code
        self.reason = reason
    }

    /// `line 3: field: reason`, the format `import` prints.
    public var description: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let field { parts.append(field) }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }

    /// The same error attributed to a line.
    public func at(line: Int?) -> InputError {
        InputError(line: line, field: field, code: code, reason: reason)
    }
}

/// The stable, machine-readable kind of a refusal (`id.conflict`, `data.out_of_range`, …).
/// Each layer defines the codes it produces, with their meaning, in one list; programs match
/// codes, never the human reason.
public struct RefusalCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// A code with its meaning, as docs/cli.md lists it.
    public struct Entry: Sendable {
        public let code: RefusalCode
        public let meaning: String
        public init(_ code: String, _ meaning: String) {
            self.code = RefusalCode(rawValue: code)
            self.meaning = meaning
        }
    }

    /// The codes the log itself produces.
    public static let logEntries: [Entry] = [
        Entry("id.conflict", "the id is already used by another event with different content"),
        Entry("version.conflict", "the stream does not hold the expected number of events (`--expect-version`)"),
    ]
    public static let idConflict = logEntries[0].code
    public static let versionConflict = logEntries[1].code
}
