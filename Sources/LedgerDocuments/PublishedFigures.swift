import Rehabilitation

/// What Enping published for 2022 (docs/statistics.md; ../shared/domain), each beside the way
/// the ledger computes it: the one list `demo` checks and `report` prints beside the figures.
package struct PublishedFigure: Sendable {
    /// A short key for programs.
    package let key: String
    package let label: Label
    /// As published, in the ledger's units (fractions, counts, fen).
    package let published: String
    /// The ledger's value in the same form.
    package let computed: @Sendable (CityFigures) -> String

    /// Whether the ledger's value is the published one (rates to 4 decimals).
    package func matches(_ figures: CityFigures) -> Bool {
        let value = computed(figures)
        if let a = Double(published), let b = Double(value) { return abs(a - b) < 0.00005 }
        return published == value
    }
}

package enum PublishedFigures {
    /// The year whose figures were published.
    package static let year = 2022

    private static func rate(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "null" }

    package static let enping2022: [PublishedFigure] = [
        PublishedFigure(key: "employment_rate", label: Label("就业率（有就业能力的在册人员）", "employment rate (employable registered)"),
                        published: "0.96") { rate($0.employmentRate) },
        PublishedFigure(key: "insurance_rate", label: Label("参保率", "insurance enrolment rate"), published: "0.97") { rate($0.insuranceRate) },
        PublishedFigure(key: "abstinent_3y_rate", label: Label("戒断三年未复吸占比", "abstinent three years or more"), published: "0.808") { rate($0.abstinent3yRate) },
        PublishedFigure(key: "placements", label: Label("安置就业 企业 / 自主创业 / 公益岗位", "placements enterprise / self-employed / public welfare"),
                        published: "74 / 4 / 7") { "\($0.placements[.enterprise] ?? 0) / \($0.placements[.selfEmployment] ?? 0) / \($0.placements[.publicWelfare] ?? 0)" },
        PublishedFigure(key: "employer_subsidies_fen", label: Label("企业补贴（分）", "subsidies to employers (fen)"), published: "20800000") { String($0.employerSubsidiesFen) },
        PublishedFigure(key: "training", label: Label("培训 职业技能 / 农业技术", "training vocational / agricultural"),
                        published: "1664 / 1995") { "\($0.training[.vocational] ?? 0) / \($0.training[.agricultural] ?? 0)" },
        PublishedFigure(key: "aid_recipients", label: Label("救助人数 低保 / 临时救助", "aid recipients subsistence / temporary"),
                        published: "50 / 154") { "\($0.aid[.subsistence]?.recipients ?? 0) / \($0.aid[.temporary]?.recipients ?? 0)" },
        PublishedFigure(key: "aid_total_fen", label: Label("救助金额合计（分）", "aid total (fen)"), published: "40000000") { String($0.aidTotalFen) },
        PublishedFigure(key: "relapse_change_detox", label: Label("复吸率同比 社区戒毒", "relapse change community detox"),
                        published: "-0.1876") { rate($0.relapseChange(.communityDetox)) },
        PublishedFigure(key: "relapse_change_rehab", label: Label("复吸率同比 社区康复", "relapse change community rehab"),
                        published: "-0.7446") { rate($0.relapseChange(.communityRehab)) },
    ]
}
