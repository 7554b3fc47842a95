import Rehabilitation

/// What Enping published (docs/statistics.md; ../shared/domain), each beside the way the
/// ledger computes it: the one list `demo` checks and `report` prints beside the figures.
package struct PublishedFigure: Sendable {
    /// How a computed value agrees with the published one.
    package enum Agreement: Sendable {
        /// Equal as text (counts, fen, "74 / 4 / 7").
        case exact
        /// A rate equal at the published precision: |ledger − published| < half a unit of
        /// the 4th decimal.
        case rounded
        /// A rate in [lower, upper): "18.85%" covers 0.18845 ≤ x < 0.18855.
        case within(lower: Double, upper: Double)
        /// A rate strictly above a bound ("kept above 90%").
        case above(Double)
    }

    /// A short key for programs.
    package let key: String
    package let label: Label
    /// The year the figure is of (the report of `PublishedFigures.year` also covers the year before).
    package let year: Int
    /// As published, in the ledger's units (fractions, counts, fen).
    package let published: String
    package let agreement: Agreement
    /// The ledger's value in the same form ("null" for a rate without a denominator).
    package let computed: @Sendable (CityFigures) -> String
    /// A rate's unrounded value, for the bounds (nil for counts).
    private let rate: (@Sendable (CityFigures) -> Double?)?

    /// A count or a split of counts, compared as text.
    package init(key: String, label: Label, year: Int = PublishedFigures.year, published: String,
                 computed: @escaping @Sendable (CityFigures) -> String) {
        self.key = key
        self.label = label
        self.year = year
        self.published = published
        self.agreement = .exact
        self.computed = computed
        self.rate = nil
    }

    /// A rate, shown with 4 decimals ("null" without a denominator).
    package init(key: String, label: Label, year: Int = PublishedFigures.year, published: String, agreement: Agreement,
                 rate: @escaping @Sendable (CityFigures) -> Double?) {
        self.key = key
        self.label = label
        self.year = year
        self.published = published
        self.agreement = agreement
        self.rate = rate
        computed = { rate($0).map { String(format: "%.4f", $0) } ?? "null" }
    }

    /// Whether the ledger's value (of `year`'s figures) agrees with the published one.
    package func matches(_ figures: CityFigures) -> Bool {
        let value = computed(figures)
        switch agreement {
        case .exact: return published == value
        case .rounded:
            guard let a = Double(published), let b = Double(value) else { return false }
            return abs(a - b) < 0.00005
        case .within(let lower, let upper):
            // A bound is checked on the unrounded rate, not on its 4 decimals.
            guard let b = rate?(figures) else { return false }
            return lower <= b && b < upper
        case .above(let bound):
            guard let b = rate?(figures) else { return false }
            return b > bound
        }
    }
}

package enum PublishedFigures {
    /// The year of the report the figures were published in.
    package static let year = 2022

    package static let enping: [PublishedFigure] = [
        PublishedFigure(key: "employment_rate", label: Label("就业率（有就业能力的在册人员）", "employment rate (employable registered)"),
                        published: "0.96", agreement: .rounded) { $0.employmentRate },
        PublishedFigure(key: "insurance_rate", label: Label("参保率", "insurance enrolment rate"), published: "0.97", agreement: .rounded) { $0.insuranceRate },
        PublishedFigure(key: "abstinent_3y_rate", label: Label("戒断三年未复吸占比", "abstinent three years or more"), published: "0.808",
                        agreement: .rounded) { $0.abstinent3yRate },
        PublishedFigure(key: "abstinent_3y_change", label: Label("戒断三年未复吸占比同比", "abstinent three years, change on the year"),
                        published: "0.1885", agreement: .within(lower: 0.18845, upper: 0.18855)) { $0.abstinent3yChange },
        PublishedFigure(key: "consolidation_rate_2021", label: Label("戒毒康复巩固率 2021", "consolidation rate 2021"), year: 2021,
                        published: "> 0.90", agreement: .above(0.90)) { $0.consolidationRate },
        PublishedFigure(key: "consolidation_rate", label: Label("戒毒康复巩固率", "consolidation rate"),
                        published: "> 0.90", agreement: .above(0.90)) { $0.consolidationRate },
        PublishedFigure(key: "new_enrollments_change", label: Label("新增吸毒人员同比", "new enrolments, change on the year"),
                        published: "0", agreement: .rounded) { $0.newEnrollmentsChange },
        PublishedFigure(key: "placements", label: Label("安置就业 企业 / 自主创业 / 公益岗位", "placements enterprise / self-employed / public welfare"),
                        published: "74 / 4 / 7") { "\($0.placements[.enterprise] ?? 0) / \($0.placements[.selfEmployment] ?? 0) / \($0.placements[.publicWelfare] ?? 0)" },
        PublishedFigure(key: "employer_subsidies_fen", label: Label("企业补贴（分）", "subsidies to employers (fen)"), published: "20800000") { String($0.employerSubsidiesFen) },
        PublishedFigure(key: "training", label: Label("培训 职业技能 / 农业技术", "training vocational / agricultural"),
                        published: "1664 / 1995") { "\($0.training[.vocational] ?? 0) / \($0.training[.agricultural] ?? 0)" },
        PublishedFigure(key: "aid_recipients", label: Label("救助人数 低保 / 临时救助", "aid recipients subsistence / temporary"),
                        published: "50 / 154") { "\($0.aid[.subsistence]?.recipients ?? 0) / \($0.aid[.temporary]?.recipients ?? 0)" },
        PublishedFigure(key: "aid_total_fen", label: Label("救助金额合计（分）", "aid total (fen)"), published: "40000000") { String($0.aidTotalFen) },
        PublishedFigure(key: "relapse_change_detox", label: Label("复吸率同比 社区戒毒", "relapse change community detox"),
                        published: "-0.1876", agreement: .rounded) { $0.relapseChange(.communityDetox) },
        PublishedFigure(key: "relapse_change_rehab", label: Label("复吸率同比 社区康复", "relapse change community rehab"),
                        published: "-0.7446", agreement: .rounded) { $0.relapseChange(.communityRehab) },
    ]

    /// The years the list covers, oldest first.
    package static var years: [Int] { Array(Set(enping.map(\.year))).sorted() }

    /// Whether every figure agrees, given each year's city figures (a missing year disagrees).
    package static func allMatch(_ figures: (Int) -> CityFigures?) -> Bool {
        enping.allSatisfy { figure in figures(figure.year).map(figure.matches) ?? false }
    }
}
