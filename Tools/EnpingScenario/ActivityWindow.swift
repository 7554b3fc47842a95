/// A stretch of days on which a participant is registered and reachable (not in isolation),
/// either under a measure (dense contact schedule) or after completing it (sparse follow-up).
/// Ordinary events are placed only strictly inside windows, never on a day when the
/// participant enrols, ends a measure or leaves the register.
struct ActivityWindow {
    /// First and last day on which events may be placed (inclusive).
    var first: Int
    var last: Int
    var underMeasure: Bool
    /// The day the measure started (the schedule thins out with its age).
    var measureStart: Int
    var episode: Int
    var town: Int
    /// The window continues the previous one without a break in registration.
    var continuesPrevious: Bool

    var length: Int { max(0, last - first + 1) }
}
