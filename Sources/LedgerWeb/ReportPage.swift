import EventLog
import LedgerDocuments
import Rehabilitation

/// `recovery report`: the year's figures as one self-contained, printable HTML document (A4),
/// with the published targets beside the ledger's figures, the per-town table and the charts
/// of the figures page (the same drawing code). No external asset: the style sheet is inline
/// and the charts are SVG in the page, so the file can be mailed, archived and printed.
package enum ReportPage {
    package static func render(report: StatisticsReport, trend: [(year: Int, figures: CityFigures)], city: City, town: String?,
                               language: Language) -> String {
        func say(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let scope = town.flatMap { id in report.towns.first { $0.town.id == id } }
        let scopeName = scope.map { Vocabulary.town($0.town.id, city: city, language) } ?? city.name
        let figures = scope?.figures ?? report.city
        let title = say("\(scopeName) \(report.year) 年社区戒毒康复工作报告", "\(scopeName): community rehabilitation report \(report.year)")
        var html = HTML()
        html.doctype()
        html.open("html", [("lang", language == .zh ? "zh-CN" : "en")])
        html.element("head") { html in
            html.void("meta", [("charset", "utf-8")])
            html.element("title", [], title)
            html.element("style", [], Style.css + printStyle)
        }
        html.open("body", [("data-page", "report"), ("data-lang", language.rawValue)])
        html.element("main", [("id", "main")]) { html in
            html.element("h1", [], title)
            html.element("p", [("class", "muted"), ("data-head-seq", String(report.headSeq))],
                         say("统计口径：截至 \(report.asOf) 的在册情况；台账序号 \(report.headSeq)。定义见 docs/statistics.md。",
                             "Register as of \(report.asOf); ledger seq \(report.headSeq). Definitions: docs/statistics.md."))
            html.element("h2", [], say("主要指标", "Main figures"))
            let published = scope == nil && report.year == PublishedFigures.year
            html.element("table", [("id", "figures")]) { html in
                html.element("thead") { html in
                    html.element("tr") { html in
                        html.element("th", [("scope", "col")], say("指标", "Figure"))
                        html.element("th", [("scope", "col"), ("class", "num")], say("台账", "Ledger"))
                        if published {
                            html.element("th", [("scope", "col"), ("class", "num")], say("公布值", "Published"))
                            html.element("th", [("scope", "col")], say("是否一致", "Agrees"))
                        }
                    }
                }
                html.element("tbody") { html in
                    if published {
                        for figure in PublishedFigures.enping {
                            // A figure of the year before is read from the trend (the same pass).
                            let yearly = figure.year == report.year ? figures : trend.first { $0.year == figure.year }?.figures
                            html.element("tr", [("data-figure", figure.key)]) { html in
                                html.element("th", [("scope", "row")], figure.label[language])
                                html.element("td", [("class", "num")], yearly.map(figure.computed) ?? "—")
                                html.element("td", [("class", "num")], figure.published)
                                html.element("td", [], yearly.map(figure.matches) == true ? say("一致", "yes") : say("不一致", "NO"))
                            }
                        }
                    } else {
                        let json = StatisticsOutput.metrics(figures)
                        for metric in FiguresPage.metrics {
                            html.element("tr", [("data-figure", metric.path)]) { html in
                                html.element("th", [("scope", "row")], metric.label[language])
                                html.element("td", [("class", "num")], FiguresPage.shown(FiguresPage.value(json, at: metric.path), metric.unit, language))
                            }
                        }
                    }
                }
            }
            html.element("h2", [], say("各镇街", "By town"))
            let towns = report.towns.filter { town == nil || $0.town.id == town }
            html.element("table", [("id", "towns")]) { html in
                html.element("thead") { html in
                    html.element("tr") { html in
                        html.element("th", [("scope", "col")], say("镇街", "Town"))
                        for metric in tableMetrics { html.element("th", [("scope", "col"), ("class", "num")], metric.label[language]) }
                    }
                }
                html.element("tbody") { html in
                    for (town, townFigures) in towns {
                        let json = StatisticsOutput.metrics(townFigures)
                        html.element("tr", [("data-town", town.id)]) { html in
                            html.element("th", [("scope", "row")], Vocabulary.town(town.id, city: city, language))
                            for metric in tableMetrics {
                                html.element("td", [("class", "num")], FiguresPage.shown(FiguresPage.value(json, at: metric.path), metric.unit, language))
                            }
                        }
                    }
                }
            }
            html.element("h2", [], say("趋势与分布", "Trends and towns"))
            FiguresPage.charts(&html, language: language, city: city, scopeName: scopeName, year: report.year, trend: trend, towns: towns)
        }
        html.close("body")
        html.close("html")
        return html.text
    }

    /// The per-town table's columns (an A4 page holds about ten).
    static let tableMetrics: [FiguresPage.Metric] = FiguresPage.metrics.filter {
        ["registered", "employment_rate", "insurance_rate", "abstinent_3y_rate", "relapse.community_detox.rate",
         "relapse.community_rehab.rate", "new_enrollments", "aid.total_fen", "training.vocational", "overdue"].contains($0.path)
    }

    /// Print rules of the report beside the app's: A4, charts two to a row, no page break
    /// inside a chart or a table row.
    static let printStyle = """

    body { margin: 0; }
    main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
    .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; }
    figure { break-inside: avoid; margin: 0; }
    tr { break-inside: avoid; }
    @media print {
      @page { size: A4; margin: 14mm; }
      body { font-size: 10pt; }
      h2 { break-after: avoid; }
    }
    """
}
