/// The part a participant plays in the relapse and abstinence figures, fixed by the design
/// table in `Cohort.design` so that those figures follow by construction.
enum Role: Equatable {
    case plain
    /// A positive test in that year while under a measure, perhaps followed by compulsory isolation.
    case relapse2021(isolate: Bool)
    case relapse2022(isolate: Bool)
    /// A positive test under a measure that is voided a few days later (lab error): it must
    /// count nowhere.
    case voidedPositive2021
    case voidedPositive2022
    /// A positive test in 2019 (under the measure or at a follow-up after it): clean since
    /// 2019, so not abstinent three years at the end of 2021 but abstinent at the end of 2022.
    case positive2019
    /// Stops reporting in autumn 2022 (a `contact` alert, counted as overdue).
    case lostContact
    /// Refuses three tests in 2022 (a `serious_violation` alert).
    case seriousViolation
    /// Leaves the register in 2022 after a 2022 job placement.
    case placement2022
}
