/// One event of a participant's planned history, compact enough to sort quickly; its JSON
/// line is written only at the end, once its final position (and so its id) is known.
struct PlannedEvent {
    /// Local minute number (see `LocalTime`).
    var minute: Int
    var kind: EventKind
    /// The enumerated `data` value: program, reason, result, training/aid/job/insurance kind,
    /// or check-in channel (0 none, 1 in person, 2 online), by `kind`.
    var code: Int = 0
    /// Fen for aid and subsidies, points for redemptions, delta for adjustments.
    var amount: Int = 0
    /// Index into the `Vocabulary` list the kind uses (employer, course, item, reason).
    var text: Int = 0
    /// Town index of an enrolment.
    var town: Int = 0
    /// `employable` of an enrolment.
    var flag: Bool = false
    /// The participant-local identity used by voids before ids exist.
    var uid: Int = 0
    /// For `voided`: the uid of the event it voids.
    var target: Int = -1
    /// Which worker of the town records it.
    var worker: Int = 0

    var day: Int { minute / 1440 }
}
