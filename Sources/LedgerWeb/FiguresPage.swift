import EventLog
import LedgerDocuments
import Rehabilitation

/// The city's figures for a year — `recovery stats --year Y` — as cards, a table per town and
/// charts drawn on the server.
package enum FiguresPage {
    /// One column of the per-town table and its CSV: the metric's path in `stats --format json`
    /// and how people read it. The value always comes from `StatisticsOutput.metrics`, so the
    /// page, the CSV and the JSON cannot disagree.
    package struct Metric: Sendable {
        package enum Unit: Sendable { case count, rate, fen, change }
        package let path: String
        package let label: Label
        package let unit: Unit
    }

    package static let metrics: [Metric] = [
        Metric(path: "registered", label: Label("在册人数", "Registered"), unit: .count),
        Metric(path: "under_measure.community_detox", label: Label("社区戒毒中", "In community detox"), unit: .count),
        Metric(path: "under_measure.community_rehab", label: Label("社区康复中", "In community rehab"), unit: .count),
        Metric(path: "employable", label: Label("有就业能力", "Employable"), unit: .count),
        Metric(path: "employed", label: Label("已就业", "Employed"), unit: .count),
        Metric(path: "employment_rate", label: Label("就业率", "Employment rate"), unit: .rate),
        Metric(path: "insured", label: Label("参保人数", "Insured"), unit: .count),
        Metric(path: "insurance_rate", label: Label("参保率", "Insurance rate"), unit: .rate),
        Metric(path: "abstinent_3y", label: Label("戒断三年未复吸", "Abstinent 3 years"), unit: .count),
        Metric(path: "abstinent_3y_rate", label: Label("戒断三年未复吸占比", "Abstinent 3 years, share"), unit: .rate),
        Metric(path: "abstinent_3y_change", label: Label("戒断三年占比同比", "Abstinent share, change"), unit: .change),
        Metric(path: "relapse.community_detox.rate", label: Label("社区戒毒复吸率", "Relapse rate, detox"), unit: .rate),
        Metric(path: "relapse.community_rehab.rate", label: Label("社区康复复吸率", "Relapse rate, rehab"), unit: .rate),
        Metric(path: "consolidation.rate", label: Label("戒毒康复巩固率", "Consolidation rate"), unit: .rate),
        Metric(path: "new_enrollments", label: Label("新增报到", "New enrolments"), unit: .count),
        Metric(path: "new_enrollments_change", label: Label("新增同比", "New enrolments, change"), unit: .change),
        Metric(path: "aid.total_fen", label: Label("救助金额", "Aid paid"), unit: .fen),
        Metric(path: "placements.enterprise", label: Label("企业就业", "Enterprise placements"), unit: .count),
        Metric(path: "placements.self_employment", label: Label("自主创业", "Self-employment"), unit: .count),
        Metric(path: "placements.public_welfare", label: Label("公益岗位", "Public-welfare posts"), unit: .count),
        Metric(path: "training.vocational", label: Label("职业技能培训", "Vocational training"), unit: .count),
        Metric(path: "training.agricultural", label: Label("农业技术培训", "Agricultural training"), unit: .count),
        Metric(path: "overdue", label: Label("逾期未报到", "Overdue"), unit: .count),
    ]

    /// The published figures' cards.
    package static let cards: [Metric] = [
        Metric(path: "employment_rate", label: Label("就业率", "Employment rate"), unit: .rate),
        Metric(path: "insurance_rate", label: Label("参保率", "Insurance rate"), unit: .rate),
        Metric(path: "abstinent_3y_rate", label: Label("戒断三年以上未复吸", "Abstinent three years or more"), unit: .rate),
        Metric(path: "relapse.community_detox.relapse_change", label: Label("社区戒毒复吸率同比", "Relapse rate change, detox"), unit: .change),
        Metric(path: "relapse.community_rehab.relapse_change", label: Label("社区康复复吸率同比", "Relapse rate change, rehab"), unit: .change),
        Metric(path: "abstinent_3y_change", label: Label("戒断三年未复吸占比同比", "Abstinent share, change on the year"), unit: .change),
        Metric(path: "consolidation.rate", label: Label("戒毒康复巩固率", "Consolidation rate"), unit: .rate),
        Metric(path: "new_enrollments_change", label: Label("新增吸毒人员同比", "New enrolments, change on the year"), unit: .change),
    ]

    /// The card's `data-figure` name (docs/web.md).
    static func figureName(_ metric: Metric) -> String {
        metric.path.hasPrefix("relapse.") ? "relapse_change." + metric.path.split(separator: ".")[1] : metric.path
    }

    /// The JSON value at `path` of a metrics object.
    package static func value(_ json: OrderedJSON, at path: String) -> OrderedJSON {
        var current = json
        for key in path.split(separator: ".") {
            guard case .object(let members) = current, let member = members.first(where: { $0.0 == key })?.1 else { return .null }
            current = member
        }
        return current
    }

    /// The value as people read it.
    package static func shown(_ value: OrderedJSON, _ unit: Metric.Unit, _ language: Language) -> String {
        switch (value, unit) {
        case (.integer(let number), .fen): Vocabulary.money(number, language)
        case (.integer(let number), _): Vocabulary.count(number)
        case (.number(let number), .change): Vocabulary.percentChange(number)
        case (.number(let number), _): Vocabulary.percent(number)
        default: "—"
        }
    }

    /// The value in a spreadsheet: amounts in 元, rates as percentages, counts as they are.
    static func cell(_ value: OrderedJSON, _ unit: Metric.Unit) -> String {
        switch (value, unit) {
        case (.integer(let number), .fen): Vocabulary.yuan(number).replacingOccurrences(of: ",", with: "")
        case (.integer(let number), _): String(number)
        case (.number(let number), .change): Vocabulary.percentChange(number)
        case (.number(let number), _): Vocabulary.percent(number)
        default: ""
        }
    }

    /// The per-town table as a spreadsheet.
    package static func csv(_ report: StatisticsReport, towns: [Town], city: City, includeCity: Bool, _ language: Language) throws -> [UInt8] {
        let header = [Label("范围", "Scope")[language]] + metrics.map { $0.label[language] + ($0.unit == .fen ? (language == .zh ? "" : "") : "") }
        var rows: [[String]] = []
        if includeCity {
            let json = StatisticsOutput.metrics(report.city)
            rows.append([city.name] + metrics.map { cell(value(json, at: $0.path), $0.unit) })
        }
        for (town, figures) in report.towns where towns.contains(town) {
            let json = StatisticsOutput.metrics(figures)
            rows.append([Vocabulary.town(town.id, city: city, language)] + metrics.map { cell(value(json, at: $0.path), $0.unit) })
        }
        return try SpreadsheetCSV.document(header: header, rows: rows, numericColumns: Set(1 ... metrics.count))
    }

    package struct Request: Sendable {
        package let year: Int
        package let years: ClosedRange<Int>
        /// The town whose figures the cards and trend show; nil for the city.
        package let town: String?
        /// The cut's "known at" text as typed, if any.
        package let knownAt: String?
        package init(year: Int, years: ClosedRange<Int>, town: String?, knownAt: String?) {
            self.year = year
            self.years = years
            self.town = town
            self.knownAt = knownAt
        }
    }

    package static func render(_ viewer: Viewer, _ request: Request, report: StatisticsReport, towns: [Town], canSeeCity: Bool,
                               trend: [(year: Int, figures: CityFigures)]) -> HTML {
        let scopeName = request.town.map { Vocabulary.town($0, city: viewer.city, viewer.language) } ?? viewer.city.name
        return PageShell.page(viewer, name: "figures", title: viewer(WebPage.figures.label) + " · \(request.year)", current: .figures) { html in
            html.element("form", [("method", "get"), ("action", "/figures"), ("class", "toolbar"), ("data-form", "figures-filter")]) { html in
                html.element("label", [("for", "year")], viewer("年度", "Year"))
                html.element("select", [("id", "year"), ("name", "year")]) { html in
                    for year in request.years.reversed() {
                        html.element("option", [("value", String(year)), HTML.flag("selected", year == request.year)], String(year))
                    }
                }
                html.element("label", [("for", "scope-town")], viewer("范围", "Scope"))
                html.element("select", [("id", "scope-town"), ("name", "town")]) { html in
                    if canSeeCity { html.element("option", [("value", ""), HTML.flag("selected", request.town == nil)], viewer.city.name) }
                    for town in towns {
                        html.element("option", [("value", town.id), HTML.flag("selected", town.id == request.town)],
                                     Vocabulary.town(town.id, city: viewer.city, viewer.language))
                    }
                }
                html.element("label", [("for", "known_at")], viewer("截至记录时间（可选）", "As known at (optional)"))
                html.void("input", [("type", "date"), ("id", "known_at"), ("name", "known_at"), ("value", request.knownAt)])
                html.element("button", [("type", "submit")], viewer("查看", "Show"))
                html.element("a", [("id", "export-csv"), ("class", "button secondary"),
                                   ("href", Query.link("/figures.csv", [("year", String(request.year)), ("known_at", request.knownAt)]))],
                             viewer("导出 CSV", "Export CSV"))
            }
            html.element("p", [("class", "muted"), ("data-as-of", report.asOf.description), ("data-head-seq", String(report.headSeq))],
                         viewer("统计口径：截至 \(report.asOf) 的在册情况", "Register as of \(report.asOf)")
                             + (request.knownAt.map { viewer("；仅计入 \($0) 前记录的事件", "; only events recorded by \($0)") } ?? "")
                             + viewer("；台账序号 \(report.headSeq)。", "; ledger seq \(report.headSeq)."))
            let scope = request.town.flatMap { id in report.towns.first { $0.town.id == id }?.figures } ?? report.city
            let scopeJSON = StatisticsOutput.metrics(scope)
            html.element("h2", [], scopeName)
            html.element("div", [("class", "cards")]) { html in
                for card in cards {
                    let value = value(scopeJSON, at: card.path)
                    let raw: String = if case .null = value { "" } else { value.text }
                    html.element("div", [("class", "card"), ("data-figure", figureName(card)), ("data-value", raw)]) { html in
                        html.element("div", [("class", "label")], viewer(card.label))
                        html.element("div", [("class", "value")], shown(value, card.unit, viewer.language))
                    }
                }
            }
            html.element("h2", [], viewer("各镇街", "By town"))
            html.element("div", PageShell.scrollable(viewer)) { html in
                html.element("table", [("id", "towns")]) { html in
                    html.element("caption", [], viewer("\(request.year) 年各镇街数据", "Figures by town, \(request.year)"))
                    html.element("thead") { html in
                        html.element("tr") { html in
                            html.element("th", [("scope", "col")], viewer("镇街", "Town"))
                            for metric in metrics {
                                html.element("th", [("scope", "col"), ("class", "num")], viewer(metric.label))
                            }
                        }
                    }
                    html.element("tbody") { html in
                        for (town, figures) in report.towns where towns.contains(town) {
                            let json = StatisticsOutput.metrics(figures)
                            html.element("tr", [("data-town", town.id)]) { html in
                                html.element("th", [("scope", "row")], Vocabulary.town(town.id, city: viewer.city, viewer.language))
                                for metric in metrics {
                                    let value = value(json, at: metric.path)
                                    let raw: String = if case .null = value { "" } else { value.text }
                                    html.element("td", [("class", "num"), ("data-metric", metric.path), ("data-value", raw)],
                                                 shown(value, metric.unit, viewer.language))
                                }
                            }
                        }
                    }
                }
            }
            html.element("h2", [], viewer("趋势与分布", "Trends and towns"))
            charts(&html, language: viewer.language, city: viewer.city, scopeName: scopeName, year: request.year, trend: trend,
                   towns: report.towns.filter { towns.contains($0.town) })
        }
    }

    /// The trend and town charts of a figures page and of the printed report: one drawing.
    package static func charts(_ html: inout HTML, language: Language, city: City, scopeName: String, year: Int,
                               trend: [(year: Int, figures: CityFigures)], towns shownTowns: [(town: Town, figures: CityFigures)]) {
        func say(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        html.element("div", [("class", "charts")]) { html in
            let years = trend.map { String($0.year) }
            let count: (Double) -> String = { Vocabulary.count(Int64($0.rounded())) }
            let percent: (Double) -> String = { Vocabulary.percent($0) }
            Chart.line(&html, name: "trend-registered", title: say("在册人数", "Registered participants") + " · " + scopeName,
                       categories: years, series: [Chart.Series(name: say("在册人数", "Registered"), values: trend.map { Double($0.figures.registered) })],
                       format: count)
            Chart.line(&html, name: "trend-relapse", title: say("复吸率（按措施）", "Relapse rate by measure") + " · " + scopeName,
                       categories: years, series: Program.allCases.map { program in
                           Chart.Series(name: Vocabulary.choice(program.name)[language], values: trend.map { $0.figures.relapse[program]?.rate })
                       }, format: percent)
            Chart.line(&html, name: "trend-employment", title: say("就业率", "Employment rate") + " · " + scopeName,
                       categories: years, series: [Chart.Series(name: say("就业率", "Employment rate"), values: trend.map { $0.figures.employmentRate })],
                       format: percent)
            let names = shownTowns.map { Vocabulary.town($0.town.id, city: city, language) }
            Chart.bars(&html, name: "towns-aid", title: say("\(year) 年救助金额（元）", "Aid paid in \(year) (yuan)"),
                       categories: names, series: Chart.Series(name: say("救助金额", "Aid"), values: shownTowns.map { Double($0.figures.aidTotalFen) / 100 }),
                       format: count)
            Chart.bars(&html, name: "towns-placements", title: say("\(year) 年就业安置", "Job placements in \(year)"),
                       categories: names, series: Chart.Series(name: say("就业安置", "Placements"),
                                                               values: shownTowns.map { Double($0.figures.placements.values.reduce(0, +)) }),
                       format: count)
            Chart.bars(&html, name: "towns-training", title: say("\(year) 年培训", "Training in \(year)"),
                       categories: names, series: Chart.Series(name: say("培训", "Training"),
                                                               values: shownTowns.map { Double($0.figures.training.values.reduce(0, +)) }),
                       format: count)
        }
    }
}
