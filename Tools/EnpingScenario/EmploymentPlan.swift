/// What a participant's job history must look like at the end of 2022, chosen so that the
/// employment rate and the 2022 placement counts come out exactly (see README.md).
enum EmploymentPlan {
    /// Not employable: no jobs.
    case none
    /// Employed at the end of 2022 by a placement made before 2022 (retention: an enterprise
    /// placement of the second half of 2021 whose six-month retention subsidy is paid in 2022).
    case openBefore2022(retention: Bool)
    /// Employed at the end of 2022 by a 2022 placement.
    case open2022
    /// Placed in 2022, job ended in 2022, placed again in 2022 and still employed.
    case replaced2022
    /// Placed in 2022, job ended in 2022, unemployed at the end of 2022.
    case endedPlaced2022
    /// Placed before 2022, job ended in 2022, unemployed at the end of 2022.
    case endedOld
    /// Employable but not employed at the end of 2022 (perhaps an old job, ended before 2022).
    case unemployed
    /// Placed in 2022, then left the register in 2022 (the placement still counts in 2022).
    case leaverPlacement2022
    /// Not on the register at the end of 2022: some jobs before leaving, none in 2022.
    case history
}
