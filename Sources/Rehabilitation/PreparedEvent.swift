import EventLog

/// An event screened for personal identifiers and typed by the catalogue, ready for a batch.
/// Preparing needs no transaction, so an import prepares the next lines on another core
/// while the batch appends the ones before.
public struct PreparedEvent: Sendable {
    /// The event as submitted.
    public let event: NewEvent
    /// Its type and data, as the catalogue accepted them.
    public let kind: EventKind
}

extension Ledger {
    /// `event` screened and typed, or why it is refused (the field at fault, no line yet).
    public func prepare(_ event: NewEvent) -> Result<PreparedEvent, InputError> {
        if let refusal = PrivacyScreen.check(event) { return .failure(refusal) }
        return catalogue.kind(type: event.type, data: event.data).map { PreparedEvent(event: event, kind: $0) }
    }
}
