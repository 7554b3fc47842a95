import EventLog
import Foundation
import Rehabilitation

/// Renders `recovery stats` for programs (JSON, CSV) and for people (a table with the towns'
/// Chinese names and percentages with one decimal).
package enum StatisticsOutput {
    /// The report; with `onlyTowns` (a town office's reach), `city` is null and `towns` holds
    /// only those towns.
    package static func json(_ report: StatisticsReport, onlyTowns: Set<String>? = nil) -> OrderedJSON {
        .object([
            ("year", .int(report.year)), ("as_of", .string(report.asOf.description)), ("head_seq", .seq(report.headSeq)),
            ("city", onlyTowns == nil ? metrics(report.city) : .null),
            ("towns", .object(report.towns.filter { onlyTowns?.contains($0.town.id) ?? true }.map { ($0.town.id, metrics($0.figures)) })),
        ])
    }

    package static func metrics(_ figures: CityFigures) -> OrderedJSON {
        func programs(_ values: [Program: Int]) -> OrderedJSON {
            .object(Program.allCases.map { ($0.name, .int(values[$0] ?? 0)) })
        }
        return .object([
            ("registered", .int(figures.registered)),
            ("registered_by_program", programs(figures.registeredByProgram)),
            ("under_measure", programs(figures.underMeasure)),
            ("employable", .int(figures.employable)), ("employed", .int(figures.employed)),
            ("employment_rate", .rate(figures.employmentRate)),
            ("insured", .int(figures.insured)), ("insurance_rate", .rate(figures.insuranceRate)),
            ("abstinent_3y", .int(figures.abstinent3y)), ("abstinent_3y_rate", .rate(figures.abstinent3yRate)),
            ("abstinent_3y_change", .rate(figures.abstinent3yChange)),
            ("relapse", .object(Program.allCases.map { program in
                let relapse = figures.relapse[program]!
                return (program.name, .object([
                    ("participants", .int(relapse.participants)), ("relapsed", .int(relapse.relapsed)),
                    ("rate", .rate(relapse.rate)), ("relapse_change", .rate(figures.relapseChange(program))),
                ]))
            })),
            ("consolidation", .object([
                ("participants", .int(figures.consolidation.participants)), ("relapsed", .int(figures.consolidation.relapsed)),
                ("rate", .rate(figures.consolidationRate)),
            ])),
            ("new_enrollments", .int(figures.newEnrollments)), ("new_enrollments_change", .rate(figures.newEnrollmentsChange)),
            ("aid", .object(AidKind.allCases.map { kind in
                (kind.name, .object([("recipients", .int(figures.aid[kind]!.recipients)), ("amount_fen", .integer(figures.aid[kind]!.amountFen))]))
            } + [("total_fen", .integer(figures.aidTotalFen))])),
            ("placements", .object(JobKind.allCases.map { ($0.name, .int(figures.placements[$0]!)) })),
            ("employer_subsidies_fen", .integer(figures.employerSubsidiesFen)),
            ("training", .object(TrainingKind.allCases.map { ($0.name, .int(figures.training[$0]!)) })),
            ("points", .object([
                ("awarded", .integer(figures.pointsAwarded)), ("deducted", .integer(figures.pointsDeducted)),
                ("redeemed", .integer(figures.pointsRedeemed)), ("outstanding", .integer(figures.pointsOutstanding)),
            ])),
            ("overdue", .int(figures.overdue)),
        ])
    }

    /// The columns of the CSV: `scope` (with `year` first for several years), then the JSON
    /// metric paths joined with dots, each labelled for spreadsheets from its parts.
    package static func columns(withYear: Bool) -> [TabularColumn] {
        var columns = withYear ? [TabularColumn("year", Label("年份", "year"), numeric: true)] : []
        columns.append(TabularColumn("scope", Label("地区", "scope")))
        flatten(metrics(CityFigures()), prefix: "") { path, _ in
            columns.append(TabularColumn(path, metricLabel(path), numeric: true))
        }
        return columns
    }

    /// A metric path's words: its parts' labels joined (`relapse.community_detox.rate` →
    /// 复吸 社区戒毒 比率), with the unit a spreadsheet shows (元, %).
    package static func metricLabel(_ path: String) -> Label {
        let parts = path.split(separator: ".").map(String.init)
        // A part that names a catalogue choice (a programme, an aid kind) takes the choice's label.
        let words = parts.map { metricWords[$0] ?? Vocabulary.choices[$0] ?? Label($0, $0) }
        return Label(words.map(\.zh).joined(separator: " "), words.map(\.en).joined(separator: " "))
    }

    /// Every part of a metric path that is not a catalogue choice has one (a test holds it).
    package static let metricWords: [String: Label] = [
        "registered": Label("在册", "registered"), "registered_by_program": Label("在册", "registered"),
        "under_measure": Label("执行中", "under a measure"), 
        "employable": Label("有就业能力", "employable"),
        "employed": Label("就业", "employed"), "employment_rate": Label("就业率", "employment rate"),
        "insured": Label("参保", "insured"), "insurance_rate": Label("参保率", "insurance rate"),
        "abstinent_3y": Label("戒断三年未复吸", "abstinent 3 years"), "abstinent_3y_rate": Label("戒断三年未复吸占比", "abstinent 3 years rate"),
        "abstinent_3y_change": Label("戒断三年未复吸占比同比", "abstinent 3 years rate change"),
        "consolidation": Label("巩固", "consolidation"), "new_enrollments_change": Label("新增吸毒人员同比", "new enrolments change"),
        "relapse": Label("复吸", "relapse"), "participants": Label("人数", "participants"), "relapsed": Label("复吸人数", "relapsed"),
        "rate": Label("比率", "rate"), "relapse_change": Label("复吸率同比", "relapse change"),
        "new_enrollments": Label("新增吸毒人员", "new enrolments"), "aid": Label("救助", "aid"), 
        "recipients": Label("人数", "recipients"),
        "amount_fen": Label("金额（元）", "amount (yuan)"), "total_fen": Label("合计（元）", "total (yuan)"),
        "placements": Label("安置就业", "placements"), 
        
        "employer_subsidies_fen": Label("企业补贴（元）", "employer subsidies (yuan)"), "training": Label("培训", "training"),
        
        "points": Label("积分", "points"), "awarded": Label("奖励", "awarded"), "deducted": Label("扣减", "deducted"),
        "redeemed": Label("兑换", "redeemed"), "outstanding": Label("结余", "outstanding"), "overdue": Label("逾期未报到", "overdue"),
    ]

    /// The rows of one year's report (the city, then each town; with `onlyTowns`, those towns
    /// only), typed: fen, rates and counts as `TabularCell`s.
    package static func rows(_ report: StatisticsReport, city: City, onlyTowns: Set<String>? = nil, withYear: Bool = false) -> [[TabularCell]] {
        var rows: [[TabularCell]] = []
        let scopes = [("city", city.name, report.city)] + report.towns.map { ($0.town.id, $0.town.name, $0.figures) }
        for (scope, name, figures) in scopes where scope == "city" ? onlyTowns == nil : (onlyTowns.map { $0.contains(scope) } ?? true) {
            var row: [TabularCell] = withYear ? [.integer(Int64(report.year))] : []
            row.append(.code(scope, Label(name, scope)))
            flatten(metrics(figures), prefix: "") { path, value in
                if value.isEmpty {
                    row.append(path.hasSuffix("rate") || path.hasSuffix("_change") ? .rate(nil) : .empty)
                } else if path.hasSuffix("_fen"), let fen = Int64(value) {
                    row.append(.fen(fen))
                } else if path.hasSuffix("rate") || path.hasSuffix("_change"), let rate = Double(value) {
                    row.append(.rate(rate))
                } else {
                    row.append(Int64(value).map { .integer($0) } ?? .text(value))
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// The CSV (`--format csv`, or `--excel`'s spreadsheet form) of one or more years.
    package static func csv(_ reports: [StatisticsReport], city: City, form: TabularForm, onlyTowns: Set<String>? = nil) throws(SpreadsheetCSV.Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        let withYear = reports.count > 1
        var writer = TabularWriter(columns: columns(withYear: withYear), form: form) { bytes.append(contentsOf: $0) }
        for report in reports {
            for row in rows(report, city: city, onlyTowns: onlyTowns, withYear: withYear) { try writer.add(row) }
        }
        try writer.finish()
        return bytes
    }

    /// The plain CSV of one year, as the web pages send it.
    package static func csv(_ report: StatisticsReport, city: City, onlyTowns: Set<String>? = nil) -> String {
        String(decoding: (try? csv([report], city: city, form: .csv, onlyTowns: onlyTowns)) ?? [], as: UTF8.self)
    }

    private static func flatten(_ value: OrderedJSON, prefix: String, _ emit: (String, String) -> Void) {
        if case .object(let members) = value {
            for (key, member) in members { flatten(member, prefix: prefix.isEmpty ? key : prefix + "." + key, emit) }
        } else {
            var bytes: [UInt8] = []
            value.write(into: &bytes)
            let text = String(decoding: bytes, as: UTF8.self)
            emit(prefix, text == "null" ? "" : text)
        }
    }

    /// The people's table's columns (the trend table's begin with the year).
    static func tableColumns(withYear: Bool) -> [TabularColumn] {
        (withYear ? [TabularColumn("year", Label("年份", "year"), numeric: true)] : []) + [
            TabularColumn("scope", Label("地区", "area")), TabularColumn("registered", Label("在册", "registered"), numeric: true),
            TabularColumn("detox", Label("戒毒中", "detox"), numeric: true), TabularColumn("rehab", Label("康复中", "rehab"), numeric: true),
            TabularColumn("employment", Label("就业率", "employed"), numeric: true), TabularColumn("insurance", Label("参保率", "insured"), numeric: true),
            TabularColumn("abstinent", Label("戒断三年", "abstinent 3y"), numeric: true),
            TabularColumn("abstinent_change", Label("戒断同比", "abst. change"), numeric: true),
            TabularColumn("detox_relapse", Label("戒毒复吸率", "detox relapse"), numeric: true),
            TabularColumn("rehab_relapse", Label("康复复吸率", "rehab relapse"), numeric: true),
            TabularColumn("consolidation", Label("巩固率", "consolidated"), numeric: true),
            TabularColumn("new", Label("新增", "new"), numeric: true),
            TabularColumn("new_change", Label("新增同比", "new change"), numeric: true), TabularColumn("placed", Label("安置", "placed"), numeric: true),
            TabularColumn("trained", Label("培训", "trained"), numeric: true), TabularColumn("overdue", Label("逾期", "overdue"), numeric: true),
        ]
    }

    static func tableRows(_ report: StatisticsReport, cityName: String, language: Language, withYear: Bool) -> [[TabularCell]] {
        let percent = Vocabulary.percent
        let change = Vocabulary.percentChange
        var scopes: [(String, CityFigures)] = [(cityName, report.city)]
        for town in report.towns { scopes.append((language == .zh ? town.town.name : town.town.id, town.figures)) }
        var rows: [[TabularCell]] = []
        for (name, figures) in scopes {
            var row: [TabularCell] = withYear ? [.text(String(report.year))] : []
            row.append(.text(name))
            row.append(.text(String(figures.registered)))
            row.append(.text(String(figures.underMeasure[.communityDetox] ?? 0)))
            row.append(.text(String(figures.underMeasure[.communityRehab] ?? 0)))
            row.append(.text(percent(figures.employmentRate)))
            row.append(.text(percent(figures.insuranceRate)))
            row.append(.text(percent(figures.abstinent3yRate)))
            row.append(.text(change(figures.abstinent3yChange)))
            row.append(.text(percent(figures.relapse[.communityDetox]?.rate)))
            row.append(.text(percent(figures.relapse[.communityRehab]?.rate)))
            row.append(.text(percent(figures.consolidationRate)))
            row.append(.text(String(figures.newEnrollments)))
            row.append(.text(change(figures.newEnrollmentsChange)))
            row.append(.text(String(figures.placements.values.reduce(0, +))))
            row.append(.text(String(figures.training.values.reduce(0, +))))
            row.append(.text(String(figures.overdue)))
            rows.append(row)
        }
        return rows
    }

    /// Several years, one row per year and scope: the trend table.
    package static func trendTable(_ reports: [StatisticsReport], cityName: String, language: Language) -> String {
        var text = language == .zh
            ? "\(DisplayText.escaped(cityName)) \(reports.first?.year ?? 0)–\(reports.last?.year ?? 0) 年统计（每年截至 12 月 31 日）\n"
            : "\(DisplayText.escaped(cityName)) figures \(reports.first?.year ?? 0)–\(reports.last?.year ?? 0) (each as of 31 December)\n"
        var writer = TabularWriter(columns: tableColumns(withYear: true), form: .table(language)) { text += String(decoding: $0, as: UTF8.self) }
        for report in reports {
            for row in tableRows(report, cityName: cityName, language: language, withYear: true) { try? writer.add(row) }
        }
        try? writer.finish()
        return text
    }

    package static func table(_ report: StatisticsReport, cityName: String, language: Language = .zh) -> String {
        let zh = language == .zh
        let percent = Vocabulary.percent
        var text = ""
        var writer = TabularWriter(columns: tableColumns(withYear: false), form: .table(language)) { text += String(decoding: $0, as: UTF8.self) }
        for row in tableRows(report, cityName: cityName, language: language, withYear: false) { try? writer.add(row) }
        try? writer.finish()
        let city = report.city
        func change(_ value: Double?) -> String { value.map { String(format: "%+.2f%%", $0 * 100) } ?? "—" }
        func change(_ program: Program) -> String { change(city.relapseChange(program)) }
        func yuan(_ fen: Int64) -> String { String(format: "%.2f", Double(fen) / 100) }
        var lines: [String]
        if zh {
            lines = ["\(DisplayText.escaped(cityName)) \(report.year) 年统计（截至 \(report.asOf)，账本序号 \(report.headSeq)）", text.dropLast().description, ""]
            lines.append("就业 \(city.employed)/\(city.employable)（就业率 \(percent(city.employmentRate))）；参保 \(city.insured)/\(city.registered)（\(percent(city.insuranceRate))）；戒断三年以上 \(city.abstinent3y)/\(city.registered)（\(percent(city.abstinent3yRate))）")
            lines.append("复吸率同比：社区戒毒 \(change(.communityDetox))，社区康复 \(change(.communityRehab))")
            lines.append("戒断三年未复吸占比同比 \(change(city.abstinent3yChange))；戒毒康复巩固率 \(percent(city.consolidationRate))（\(city.consolidation.participants) 人中复吸 \(city.consolidation.relapsed) 人）；新增吸毒人员 \(city.newEnrollments) 人，同比 \(change(city.newEnrollmentsChange))")
            lines.append("安置：企业 \(city.placements[.enterprise]!)，自主创业 \(city.placements[.selfEmployment]!)，公益岗位 \(city.placements[.publicWelfare]!)；企业补贴 \(yuan(city.employerSubsidiesFen)) 元")
            lines.append("培训：职业技能 \(city.training[.vocational]!) 人次，农业技术 \(city.training[.agricultural]!) 人次")
            lines.append("救助：低保 \(city.aid[.subsistence]!.recipients) 人，临时救助 \(city.aid[.temporary]!.recipients) 人，合计 \(yuan(city.aidTotalFen)) 元")
            lines.append("积分：奖励 \(city.pointsAwarded)，扣减 \(city.pointsDeducted)，兑换 \(city.pointsRedeemed)，结余 \(city.pointsOutstanding)")
        } else {
            lines = ["\(DisplayText.escaped(cityName)) figures for \(report.year) (as of \(report.asOf), ledger seq \(report.headSeq))", text.dropLast().description, ""]
            lines.append("employed \(city.employed)/\(city.employable) (\(percent(city.employmentRate))); insured \(city.insured)/\(city.registered) (\(percent(city.insuranceRate))); abstinent 3 years or more \(city.abstinent3y)/\(city.registered) (\(percent(city.abstinent3yRate)))")
            lines.append("relapse rate change: community detox \(change(.communityDetox)), community rehabilitation \(change(.communityRehab))")
            lines.append("abstinent 3 years share change \(change(city.abstinent3yChange)); consolidation rate \(percent(city.consolidationRate)) (\(city.consolidation.relapsed) relapsed of \(city.consolidation.participants)); new enrolments \(city.newEnrollments), change \(change(city.newEnrollmentsChange))")
            lines.append("placements: enterprise \(city.placements[.enterprise]!), self-employment \(city.placements[.selfEmployment]!), public-welfare posts \(city.placements[.publicWelfare]!); employer subsidies ¥\(yuan(city.employerSubsidiesFen))")
            lines.append("training: vocational \(city.training[.vocational]!), agricultural \(city.training[.agricultural]!) attendances")
            lines.append("aid: subsistence \(city.aid[.subsistence]!.recipients) people, temporary relief \(city.aid[.temporary]!.recipients) people, total ¥\(yuan(city.aidTotalFen))")
            lines.append("points: awarded \(city.pointsAwarded), deducted \(city.pointsDeducted), redeemed \(city.pointsRedeemed), outstanding \(city.pointsOutstanding)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
