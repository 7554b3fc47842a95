/// Why a piece of text is not the JSON the log accepts, with the byte offset where it went wrong.
public struct JSONSyntaxError: Error, Equatable, Sendable {
    /// Byte offset from the start of the parsed text.
    public let offset: Int
    public let reason: String
}
