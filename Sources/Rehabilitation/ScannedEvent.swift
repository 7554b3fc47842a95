/// One event of a rebuild's scan, held until the events are grouped by participant. A
/// million of them are kept and moved once, so it is plain values: the packed effect of the
/// catalogue (`EventEffect`) and where and when the event is.
struct ScannedEvent: Sendable {
    let seq: UInt64
    let at: Int64
    /// The participant's number in its part (`ParticipantKeys`).
    let participant: Int32
    let effect: EventEffect

    /// A placeholder, overwritten before it is read.
    static let empty = ScannedEvent(seq: 0, at: 0, participant: 0, effect: EventEffect(type: .checkIn))
}
