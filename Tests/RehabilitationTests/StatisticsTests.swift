import EventLog
import Rehabilitation
import Testing

/// A small city whose 2022 figures are worked out by hand in the comments.
@Suite("City statistics and alerts")
struct StatisticsTests {
    static let scenario: [String] = [
        // P-1: Encheng, detox, employable, since 2018; insured; placed in 2022; never positive.
        enrol("P-1", at: "2018-01-10"),
        line("insurance_enrolled", "P-1", at: "2018-02-01", data: #"{"kind":"medical"}"#),
        line("job_placed", "P-1", at: "2022-03-01", data: #"{"kind":"enterprise","employer":"e"}"#),
        // P-2: Encheng, rehab, not employable, new in 2022; positive in May and December; three refusals.
        enrol("P-2", at: "2022-02-01", program: "community_rehab", employable: false),
        line("test_result", "P-2", at: "2022-05-01", data: #"{"result":"positive"}"#),
        line("test_result", "P-2", at: "2022-12-10", data: #"{"result":"refused"}"#),
        line("test_result", "P-2", at: "2022-12-11", data: #"{"result":"refused"}"#),
        line("test_result", "P-2", at: "2022-12-12", data: #"{"result":"refused"}"#),
        line("test_result", "P-2", at: "2022-12-20", data: #"{"result":"positive"}"#),
        // P-3: Shahu, detox, relapsed in 2021, measure completed 2021-12; job ended 2022; aid in 2022.
        enrol("P-3", at: "2021-01-05", town: "shahu"),
        line("job_placed", "P-3", at: "2021-05-01", data: #"{"kind":"public_welfare","employer":"e"}"#),
        line("test_result", "P-3", at: "2021-06-01", data: #"{"result":"positive"}"#),
        line("measure_ended", "P-3", at: "2021-12-01", data: #"{"reason":"completed"}"#),
        line("job_ended", "P-3", at: "2022-04-01", data: #"{"reason":"r"}"#),
        line("aid_paid", "P-3", at: "2022-07-01", data: #"{"kind":"subsistence","amount_fen":50000}"#),
        line("aid_paid", "P-3", at: "2022-08-01", data: #"{"kind":"subsistence","amount_fen":70000}"#),
        line("aid_paid", "P-3", at: "2022-09-01", data: #"{"kind":"temporary","amount_fen":30000}"#),
        line("aid_paid", "P-3", at: "2022-09-02", id: "aid-void", data: #"{"kind":"temporary","amount_fen":99900}"#),
        line("voided", "P-3", at: "2022-09-03", data: #"{"event":"aid-void","reason":"entered twice"}"#),
        // P-4: Naji, detox since 2019, deregistered mid-2022; training and a subsidy in 2022.
        enrol("P-4", at: "2019-03-03", town: "naji"),
        line("training_attended", "P-4", at: "2022-02-01", data: #"{"kind":"agricultural"}"#),
        line("employer_subsidy_paid", "P-4", at: "2022-03-01", data: #"{"employer":"e","amount_fen":100000}"#),
        line("deregistered", "P-4", at: "2022-06-01", data: #"{"reason":"moved_away"}"#),
        // P-5: enrolled after the as-of day: counted nowhere.
        enrol("P-5", at: "2023-01-05", town: "naji"),
    ]

    @Test("every 2022 figure of the hand-worked scenario")
    func figures() throws {
        let ledger = try makeLedger()
        #expect(try ledger.submit(Self.scenario).isEmpty)
        let report = try ledger.statistics(year: 2022, asOf: CivilDate(year: 2022, month: 12, day: 31)!)
        let city = report.city
        #expect(city.registered == 3)
        #expect(city.registeredByProgram == [.communityDetox: 2, .communityRehab: 1])
        #expect(city.underMeasure == [.communityDetox: 1, .communityRehab: 1])
        #expect(city.employable == 2 && city.employed == 1 && city.employmentRate == 0.5)
        #expect(city.insured == 1 && city.abstinent3y == 1)
        #expect(city.relapse[.communityDetox] == CityFigures.Relapse(participants: 2, relapsed: 0))
        #expect(city.relapsePreviousYear[.communityDetox] == CityFigures.Relapse(participants: 3, relapsed: 1))
        #expect(city.relapseChange(.communityDetox) == -1)
        #expect(city.relapse[.communityRehab] == CityFigures.Relapse(participants: 1, relapsed: 1))
        #expect(city.relapseChange(.communityRehab) == nil)
        #expect(city.newEnrollments == 1)
        #expect(city.aid[.subsistence] == CityFigures.Aid(recipients: 1, amountFen: 120_000))
        #expect(city.aid[.temporary] == CityFigures.Aid(recipients: 1, amountFen: 30_000))
        #expect(city.aidTotalFen == 150_000)
        #expect(city.placements == [.enterprise: 1, .selfEmployment: 0, .publicWelfare: 0])
        #expect(city.employerSubsidiesFen == 100_000)
        #expect(city.training == [.vocational: 0, .agricultural: 1])
        #expect(city.pointsAwarded == 13 && city.pointsDeducted == 70 && city.pointsRedeemed == 0)
        #expect(city.pointsOutstanding == 10 - 70 - 10)
        #expect(city.overdue == 1)
        // The year before as of 2021-12-31: P-1, P-3 and P-4 registered, P-1 abstinent (since
        // 2018 ≤ 2018-12-31), P-3 new; this year P-1 of P-1…P-3, P-2 new: no change in either.
        #expect(city.previousYear == CityFigures.PreviousYear(registered: 3, abstinent3y: 1, newEnrollments: 1))
        #expect(city.abstinent3yChange == 0 && city.newEnrollmentsChange == 0)
        // Measures running in 2022: P-1, P-2 (positive in May under it) and P-4 (until June).
        #expect(city.consolidation == CityFigures.Relapse(participants: 3, relapsed: 1))
        #expect(city.consolidationRate == 1 - 1.0 / 3)
        let naji = try #require(report.towns.first { $0.town.id == "naji" }?.figures)
        #expect(naji.registered == 0 && naji.training[.agricultural] == 1 && naji.relapse[.communityDetox]?.participants == 1)
        let shahu = try #require(report.towns.first { $0.town.id == "shahu" }?.figures)
        #expect(shahu.registered == 1 && shahu.relapsePreviousYear[.communityDetox]?.relapsed == 1)
    }

    @Test("alerts: lost contact, three refusals, a positive test in the last 30 days; in town and participant order")
    func alerts() throws {
        let ledger = try makeLedger()
        try ledger.submit(Self.scenario)
        let day = CivilDate(year: 2022, month: 12, day: 31)!
        let alerts = try ledger.alerts(on: day)
        let enrolled = CivilDate(year: 2018, month: 1, day: 10)!
        #expect(alerts == [
            Alert(participant: "P-1", town: "encheng", kind: .contact, level: .lostContact, since: enrolled,
                  daysOverdue: Int(day.daysSinceEpoch - enrolled.daysSinceEpoch) - 30),
            Alert(participant: "P-2", town: "encheng", kind: .seriousViolation, level: nil, since: CivilDate(year: 2022, month: 12, day: 12)!, daysOverdue: nil),
            Alert(participant: "P-2", town: "encheng", kind: .relapseReport, level: nil, since: CivilDate(year: 2022, month: 12, day: 20)!, daysOverdue: nil),
        ])
        #expect(try ledger.alerts(on: day, town: "shahu").isEmpty)
        // Contact levels follow the days overdue: 1–6 late, 7–29 suspected, 30+ lost.
        let levels = try [31, 37, 38, 60, 61].map { offset in
            try ledger.alerts(on: CivilDate(year: 2022, month: 12, day: 20)!.adding(days: offset)).first { $0.participant == "P-2" && $0.kind == .contact }
        }
        #expect(levels.map { $0?.daysOverdue } == [1, 7, 8, 30, 31])
        #expect(levels.map { $0?.level } == [.late, .suspectedLostContact, .suspectedLostContact, .lostContact, .lostContact])
        #expect(try ledger.alerts(on: CivilDate(year: 2022, month: 12, day: 20)!.adding(days: 30)).contains { $0.participant == "P-2" && $0.kind == .contact } == false)
    }

    @Test("a cut replays the log as it stood: the same figures as the projection had then")
    func cutMatchesProjection() throws {
        let ledger = try makeLedger()
        try ledger.submit(Self.scenario)
        let day = CivilDate(year: 2022, month: 12, day: 31)!
        let before = try ledger.statistics(year: 2022, asOf: day)
        try ledger.submit([line("job_placed", "P-2", at: "2022-12-30", data: #"{"kind":"self_employment","employer":"own stall"}"#)])
        let now = try ledger.statistics(year: 2022, asOf: day)
        #expect(now.city.placements[.selfEmployment] == 1 && now.headSeq == before.headSeq + 1)
        let then = try ledger.statistics(year: 2022, asOf: day, cut: .seq(before.headSeq))
        #expect(then.city == before.city && then.headSeq == before.headSeq)
        let known = try ledger.statistics(year: 2022, asOf: day, cut: .recordedBy(0))
        #expect(known.headSeq == 0 && known.city.registered == 0)
    }

    /// A: abstinent both years. B: positive in 2019, so abstinent as of 2022-12-31 only. C: new
    /// in 2021 in Encheng, moved to Shahu in April 2022. D: new in 2022 in Shahu, positive under
    /// the measure. E: new in 2022 in Shahu.
    static let changes: [String] = [
        enrol("A", at: "2017-05-01"),
        enrol("B", at: "2018-06-01"),
        line("test_result", "B", at: "2019-03-01", data: #"{"result":"positive"}"#),
        enrol("C", at: "2021-03-01"),
        line("transferred", "C", at: "2022-04-01", data: #"{"town":"shahu"}"#),
        enrol("D", at: "2022-02-01", town: "shahu"),
        line("test_result", "D", at: "2022-05-01", data: #"{"result":"positive"}"#),
        enrol("E", at: "2022-03-01", town: "shahu"),
    ]

    @Test("the changes compare with the year before's 31 December in each scope; null without a base")
    func yearOnYear() throws {
        let ledger = try makeLedger()
        #expect(try ledger.submit(Self.changes).isEmpty)
        let report = try ledger.statistics(year: 2022, asOf: CivilDate(year: 2022, month: 12, day: 31)!)
        let city = report.city
        // 2/5 abstinent against 1/3 a year before: (0.4 − 1/3) / (1/3) = 0.2.
        #expect(city.previousYear == CityFigures.PreviousYear(registered: 3, abstinent3y: 1, newEnrollments: 1))
        #expect(abs(city.abstinent3yChange! - 0.2) < 1e-12)
        #expect(city.newEnrollments == 2 && city.newEnrollmentsChange == 1)
        #expect(city.consolidation == CityFigures.Relapse(participants: 5, relapsed: 1) && city.consolidationRate == 0.8)
        func town(_ id: String) throws -> CityFigures { try #require(report.towns.first { $0.town.id == id }?.figures) }
        // Encheng held A, B and C on 2021-12-31 (1/3) and holds A and B now (2/2); C's 2021
        // enrolment stays in Encheng's base.
        let encheng = try town("encheng")
        #expect(encheng.previousYear == CityFigures.PreviousYear(registered: 3, abstinent3y: 1, newEnrollments: 1))
        #expect(abs(encheng.abstinent3yChange! - 2) < 1e-12 && encheng.newEnrollmentsChange == -1)
        #expect(encheng.consolidationRate == 1)
        // Shahu had nobody a year before: both changes null; C, D, E under a measure, D relapsed.
        let shahu = try town("shahu")
        #expect(shahu.previousYear == CityFigures.PreviousYear())
        #expect(shahu.abstinent3yRate == 0 && shahu.abstinent3yChange == nil && shahu.newEnrollmentsChange == nil)
        #expect(shahu.consolidation == CityFigures.Relapse(participants: 3, relapsed: 1))
        // A town with nobody: every one of the three is null.
        let hengpi = try town("hengpi")
        #expect(hengpi.abstinent3yChange == nil && hengpi.consolidationRate == nil && hengpi.newEnrollmentsChange == nil)
        // A zero share a year before is no base either: Shahu's 2023 against its 0/3 of 2022.
        let next = try ledger.statistics(year: 2023, asOf: CivilDate(year: 2023, month: 12, day: 31)!)
        let shahuNext = try #require(next.towns.first { $0.town.id == "shahu" }?.figures)
        #expect(shahuNext.previousYear.registered == 3 && shahuNext.previousYear.abstinent3y == 0 && shahuNext.abstinent3yChange == nil)
        #expect(next.city.newEnrollmentsChange == -1)
        // An as-of day before the year before's end takes the year before on that day.
        let early = try ledger.statistics(year: 2022, asOf: CivilDate(year: 2021, month: 6, day: 30)!)
        #expect(early.city.previousYear == CityFigures.PreviousYear(registered: 3, abstinent3y: 1, newEnrollments: 1))
    }

    @Test("several years from one pass equal each year asked alone, at the head and under a cut")
    func severalYearsAtOnce() throws {
        let ledger = try makeLedger()
        try ledger.submit(Self.scenario)
        let cutSeq = try ledger.statistics(year: 2022, asOf: CivilDate(year: 2022, month: 12, day: 31)!).headSeq - 2
        for cut in [LedgerCut.everything, .seq(cutSeq)] {
            let asked = (2020 ... 2023).map { ($0, CivilDate(year: $0, month: 12, day: 31)!) }
            let together = try ledger.statistics(years: asked, cut: cut)
            #expect(together.count == asked.count)
            for ((year, day), report) in zip(asked, together) {
                let alone = try ledger.statistics(year: year, asOf: day, cut: cut)
                #expect(report.year == year && report.city == alone.city && report.headSeq == alone.headSeq)
                #expect(report.towns.map(\.figures) == alone.towns.map(\.figures))
            }
        }
        // The same pass gives the years of activity, as the separate pass does.
        let span = try ledger.statisticsWithSpan(years: [(2022, CivilDate(year: 2022, month: 12, day: 31)!)]).span
        let years = try ledger.eventYears()
        #expect(span != nil && span == years)
    }
}
