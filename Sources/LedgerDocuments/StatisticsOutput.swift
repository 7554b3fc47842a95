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
            ("relapse", .object(Program.allCases.map { program in
                let relapse = figures.relapse[program]!
                return (program.name, .object([
                    ("participants", .int(relapse.participants)), ("relapsed", .int(relapse.relapsed)),
                    ("rate", .rate(relapse.rate)), ("relapse_change", .rate(figures.relapseChange(program))),
                ]))
            })),
            ("new_enrollments", .int(figures.newEnrollments)),
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

    /// One header row and one row per scope (`city`, then each town id); columns are the JSON
    /// metric paths joined with dots.
    /// The CSV; with `onlyTowns`, the rows of those towns only (no city row).
    package static func csv(_ report: StatisticsReport, onlyTowns: Set<String>? = nil) -> String {
        var header: [String] = ["scope"]
        var rows: [[String]] = []
        let scopes = [("city", report.city)] + report.towns.map { ($0.town.id, $0.figures) }
        for (index, (scope, figures)) in scopes.enumerated() {
            var row = [scope]
            flatten(metrics(figures), prefix: "") { path, value in
                if index == 0 { header.append(path) }
                row.append(value)
            }
            if onlyTowns.map({ $0.contains(scope) }) ?? true { rows.append(row) }
        }
        return ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
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

    package static func table(_ report: StatisticsReport, cityName: String) -> String {
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func yuan(_ fen: Int64) -> String { String(format: "%.2f", Double(fen) / 100) }
        let columns = ["地区", "在册", "戒毒中", "康复中", "就业率", "参保率", "戒断三年", "戒毒复吸率", "康复复吸率", "新增", "安置", "培训", "逾期"]
        var rows: [[String]] = []
        for (name, figures) in [(cityName, report.city)] + report.towns.map({ ($0.town.name, $0.figures) }) {
            rows.append([
                name, String(figures.registered), String(figures.underMeasure[.communityDetox]!), String(figures.underMeasure[.communityRehab]!),
                percent(figures.employmentRate), percent(figures.insuranceRate), percent(figures.abstinent3yRate),
                percent(figures.relapse[.communityDetox]!.rate), percent(figures.relapse[.communityRehab]!.rate),
                String(figures.newEnrollments), String(figures.placements.values.reduce(0, +)),
                String(figures.training.values.reduce(0, +)), String(figures.overdue),
            ])
        }
        var lines = ["\(DisplayText.escaped(cityName)) \(report.year) 年统计（截至 \(report.asOf)，账本序号 \(report.headSeq)）"]
        lines.append(contentsOf: TextTable.render(header: columns, rows: rows))
        let city = report.city
        func change(_ program: Program) -> String {
            city.relapseChange(program).map { String(format: "%+.2f%%", $0 * 100) } ?? "—"
        }
        lines.append("")
        lines.append("就业 \(city.employed)/\(city.employable)（就业率 \(percent(city.employmentRate))）；参保 \(city.insured)/\(city.registered)（\(percent(city.insuranceRate))）；戒断三年以上 \(city.abstinent3y)/\(city.registered)（\(percent(city.abstinent3yRate))）")
        lines.append("复吸率同比：社区戒毒 \(change(.communityDetox))，社区康复 \(change(.communityRehab))")
        lines.append("安置：企业 \(city.placements[.enterprise]!)，自主创业 \(city.placements[.selfEmployment]!)，公益岗位 \(city.placements[.publicWelfare]!)；企业补贴 \(yuan(city.employerSubsidiesFen)) 元")
        lines.append("培训：职业技能 \(city.training[.vocational]!) 人次，农业技术 \(city.training[.agricultural]!) 人次")
        lines.append("救助：低保 \(city.aid[.subsistence]!.recipients) 人，临时救助 \(city.aid[.temporary]!.recipients) 人，合计 \(yuan(city.aidTotalFen)) 元")
        lines.append("积分：奖励 \(city.pointsAwarded)，扣减 \(city.pointsDeducted)，兑换 \(city.pointsRedeemed)，结余 \(city.pointsOutstanding)")
        return lines.joined(separator: "\n") + "\n"
    }
}
