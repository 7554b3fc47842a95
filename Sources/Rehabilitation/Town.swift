/// A town (镇/街道) of the city, with the centre where participants report.
public struct Town: Equatable, Sendable {
    /// ASCII `[a-z0-9-]{1,32}`: what events name.
    public let id: String
    /// The name people read, e.g. 恩城街道.
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
