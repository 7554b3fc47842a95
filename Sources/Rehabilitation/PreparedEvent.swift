import EventLog

/// An event screened for personal identifiers and checked by the catalogue, ready for a
/// batch. Preparing needs no transaction, so an import prepares the next lines on another
/// core while the batch appends the ones before.
public struct PreparedEvent: Sendable {
    /// The event as submitted.
    public let event: NewEvent
    /// Its type and data, as the catalogue packed them.
    public let effect: EventEffect
}

extension Ledger {
    /// `event` screened and checked against the catalogue, or why it is refused (the field at
    /// fault and the refusal code, no line yet).
    public func prepare(_ event: NewEvent) -> Result<PreparedEvent, InputError> {
        if let refusal = PrivacyScreen.check(event) { return .failure(refusal) }
        return catalogue.effect(type: event.type, data: event.data).map { PreparedEvent(event: event, effect: $0) }
    }
}
