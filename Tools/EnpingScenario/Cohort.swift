/// The life courses the history is built from. Each has fixed head counts per `Role`
/// (`design`), so that the published 2022 figures follow by construction:
///
/// - registered at the end of 2022 = 1000; abstinent three years = 808 (first enrolled by
///   2019, no valid positive test after 2019); the other 192 enrolled from 2020 on or tested
///   positive from 2020 on.
/// - registered at the end of 2021 = 987 (the 1000 less the 40 first enrolled in 2022, plus
///   the 6 + 21 who leave in 2022); abstinent three years then = 671 (first enrolled by 2018,
///   no valid positive test after 2018), so that the abstinence rate grows by
///   (808/1000 − 671/987) / (671/987) = 0.188519 from 2021 to 2022.
/// - community_detox measures running in 2021 = 418 with 35 relapsed, in 2022 = 294 with 20
///   relapsed (rate change −0.18756); community_rehab 95 with 12, then 93 with 3 (−0.74462).
/// - new enrolments: 40 in 2021 (`new2021`) and 40 in 2022 (`new2022`), a change of 0.
enum Cohort: CaseIterable {
    /// Detox 2016–2017, completed 2019–2020; on the register, abstinent (24 of them only from
    /// 2020 on, after a positive test in 2019).
    case doneEarly
    /// Detox 2018, completed 2021: a detox participant of 2021 only.
    case done2018
    /// Detox 2019, completed 2022: a detox participant of 2021 and 2022.
    case done2019
    /// Relapsed under detox 2016–2020, compulsory isolation for two years, then community
    /// rehabilitation starting in the named year (three years).
    case rehab2018, rehab2019, rehab2020, rehab2021, rehab2022
    /// Enrolled 2016–2017, moved away, came back and enrolled again (new detox measure) in
    /// the named year; the first-ever enrolment still dates their abstinence.
    case moveBack2020, moveBack2021
    /// Completed detox, tested positive at a follow-up in 2021 while under no measure, and
    /// enrolled again days later (keeping the job found after completing the first measure).
    case followUpPositive
    /// Completed detox, tested positive at a follow-up in 2022, not enrolled again by year end.
    case lateFollowUpPositive
    /// First enrolled in the named year (detox, still running at the end of 2022).
    case new2020, new2021, new2022
    /// Detox 2019, died in 2021 while under the measure.
    case deceased2021
    /// Completed detox long ago and moved away in autumn 2022.
    case leaving2022
    /// Completed detox long ago and left the register (moved away or died) in January–March
    /// 2022: on the register at the end of 2021 only.
    case leavingEarly2022
    /// Enrolled in 2020 and left the register within months.
    case newLeft2020
    /// Enrolled 2016–2019 and left the register by the end of 2020.
    case leftEarly

    /// Head counts by role.
    static let design: [(cohort: Cohort, roles: [(role: Role, count: Int)])] = [
        (.doneEarly, [(.positive2019, 24), (.plain, 414)]),
        (.done2018, [(.voidedPositive2021, 1), (.plain, 149)]),
        (.done2019, [(.relapse2021(isolate: true), 2), (.relapse2021(isolate: false), 8),
                     (.voidedPositive2022, 1), (.plain, 119)]),
        (.rehab2018, [(.relapse2021(isolate: true), 2), (.plain, 12)]),
        (.rehab2019, [(.relapse2021(isolate: false), 3), (.plain, 22)]),
        (.rehab2020, [(.relapse2021(isolate: false), 4), (.relapse2022(isolate: true), 1), (.plain, 25)]),
        (.rehab2021, [(.relapse2021(isolate: false), 3), (.plain, 23)]),
        (.rehab2022, [(.relapse2022(isolate: false), 2), (.plain, 10)]),
        (.moveBack2020, [(.plain, 10)]),
        (.moveBack2021, [(.plain, 8)]),
        (.followUpPositive, [(.plain, 3)]),
        (.lateFollowUpPositive, [(.plain, 2)]),
        (.new2020, [(.relapse2021(isolate: true), 4), (.relapse2021(isolate: false), 11),
                    (.relapse2022(isolate: true), 2), (.relapse2022(isolate: false), 6), (.plain, 49)]),
        (.new2021, [(.relapse2021(isolate: true), 3), (.relapse2021(isolate: false), 7),
                    (.relapse2022(isolate: true), 2), (.relapse2022(isolate: false), 4),
                    (.lostContact, 4), (.seriousViolation, 2), (.plain, 18)]),
        (.new2022, [(.relapse2022(isolate: true), 2), (.relapse2022(isolate: false), 4), (.plain, 34)]),
        (.deceased2021, [(.plain, 5)]),
        (.leaving2022, [(.placement2022, 3), (.plain, 3)]),
        (.leavingEarly2022, [(.plain, 21)]),
        (.newLeft2020, [(.plain, 8)]),
        (.leftEarly, [(.plain, 460)]),
    ]
}
