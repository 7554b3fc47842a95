import EventLog

/// The ledger's words for the log's: each participant's events are one stream of the log.
extension NewEvent {
    /// An event of `participant`'s stream.
    public init(id: String?, type: String, participant: String, at: Int64, actor: String, data: JSONValue = .object([:])) {
        self.init(id: id, type: type, stream: participant, at: at, actor: actor, data: data)
    }

    /// The participant whose stream the event belongs to.
    public var participant: String { stream }
}

extension StoredEvent {
    /// The participant whose stream the event belongs to.
    public var participant: String { stream }
}
