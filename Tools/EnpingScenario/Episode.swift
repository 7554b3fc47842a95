/// One enrolment of a participant and how its measure and its register entry end: the
/// skeleton from which every other event of the participant is placed.
struct Episode {
    var enrolDay: Int
    var enrolMinute: Int
    /// 0 community_detox, 1 community_rehab.
    var program: Int
    var town: Int
    /// The day the measure ends with a `measure_ended`, if it does by 2022-12-31.
    var measureEndDay: Int?
    /// 0 completed, 1 compulsory_isolation.
    var measureEndReason = 0
    /// The day the register entry ends with a `deregistered` (ending the measure if still running).
    var deregDay: Int?
    /// 0 moved_away, 1 deceased, 2 removed.
    var deregReason = 0

    init(enrolDay: Int, minuteOfDay: Int, program: Int, town: Int) {
        self.enrolDay = enrolDay
        self.enrolMinute = LocalTime.minute(day: enrolDay, minuteOfDay: minuteOfDay)
        self.program = program
        self.town = town
    }

    /// True when the measure ended in compulsory isolation (the participant is away, in a
    /// centre, until a later enrolment).
    var endsInIsolation: Bool { measureEndDay != nil && measureEndReason == 1 }
}
