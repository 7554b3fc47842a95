/// Charts drawn as SVG on the server: the numbers come from the same report as the tables
/// beside them; the browser only draws lines and rectangles (no script, no inline style:
/// colours come from the style sheet's `series-N` classes).
package enum Chart {
    /// One line (or one set of bars) of a chart.
    package struct Series: Sendable {
        package let name: String
        package let values: [Double?]
        package init(name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    // The drawing's own coordinate system (the SVG scales to its box).
    private static let width = 640.0
    private static let height = 300.0
    private static let left = 64.0
    private static let right = 16.0
    private static let top = 16.0
    private static let bottom = 56.0
    /// More categories than this would be unreadable; the caller's data is cut (the table
    /// beside the chart has every row).
    package static let maximumCategories = 64

    /// A line chart over `categories` (years): one polyline per series, a point per value
    /// (a nil value breaks the line).
    package static func line(_ html: inout HTML, name: String, title: String, categories: [String], series: [Series],
                             format: (Double) -> String) {
        draw(&html, name: name, title: title, categories: categories, series: series, format: format) { html, scale in
            for (index, line) in series.prefix(3).enumerated() {
                var segment: [String] = []
                func flush() {
                    if segment.count > 1 { html.void("polyline", [("class", "series-\(index)"), ("points", segment.joined(separator: " "))]) }
                    segment = []
                }
                for (position, value) in line.values.prefix(scale.count).enumerated() {
                    guard let value, value.isFinite else { flush(); continue }
                    let x = scale.x(position), y = scale.y(value)
                    segment.append(number(x) + "," + number(y))
                    html.element("circle", [("class", "series-\(index)"), ("cx", number(x)), ("cy", number(y)), ("r", "3")]) { html in
                        html.element("title", [], "\(line.name) \(categories[position]): \(format(value))")
                    }
                }
                flush()
            }
        }
    }

    /// A bar chart: one bar per category of the first series.
    package static func bars(_ html: inout HTML, name: String, title: String, categories: [String], series: Series,
                             format: (Double) -> String) {
        draw(&html, name: name, title: title, categories: categories, series: [series], format: format) { html, scale in
            let band = scale.band
            for (position, value) in series.values.prefix(scale.count).enumerated() {
                guard let value, value.isFinite else { continue }
                let x = scale.x(position) - band * 0.35
                let y = scale.y(max(value, 0))
                html.element("rect", [("class", "series-0"), ("x", number(x)), ("y", number(y)), ("width", number(band * 0.7)),
                                      ("height", number(max(scale.y(0) - y, 0)))]) { html in
                    html.element("title", [], "\(categories[position]): \(format(value))")
                }
            }
        }
    }

    private struct Scale {
        let count: Int
        let maximum: Double
        var band: Double { (Chart.width - Chart.left - Chart.right) / Double(max(count, 1)) }
        func x(_ position: Int) -> Double { Chart.left + band * (Double(position) + 0.5) }
        func y(_ value: Double) -> Double {
            Chart.top + (Chart.height - Chart.top - Chart.bottom) * (1 - min(max(value / maximum, 0), 1))
        }
    }

    private static func draw(_ html: inout HTML, name: String, title: String, categories: [String], series: [Series],
                             format: (Double) -> String, marks: (inout HTML, Scale) -> Void) {
        let shown = Array(categories.prefix(maximumCategories))
        let largest = series.flatMap { $0.values.prefix(shown.count).compactMap { $0 } }.filter(\.isFinite).max() ?? 0
        let scale = Scale(count: shown.count, maximum: niceCeiling(largest))
        let titleID = "chart-\(name)-title"
        let descID = "chart-\(name)-desc"
        html.element("figure") { html in
            html.element("figcaption", [("id", titleID)], title)
            if series.count > 1 {
                html.element("div", [("class", "legend")]) { html in
                    for (index, line) in series.prefix(3).enumerated() {
                        html.element("span") { html in
                            html.element("span", [("class", "swatch series-\(index)"), ("aria-hidden", "true")], "")
                            html.write(line.name)
                        }
                    }
                }
            }
            html.element("svg", [("class", "chart"), ("data-chart", name), ("viewBox", "0 0 \(Int(width)) \(Int(height))"),
                                 ("role", "img"), ("aria-labelledby", titleID + " " + descID), ("xmlns", "http://www.w3.org/2000/svg")]) { html in
                html.element("title", [], title)
                // The chart's numbers as text, for screen readers.
                html.element("desc", [("id", descID)], series.map { line in
                    line.name + ": " + zip(shown, line.values).map { "\($0) \($1.map(format) ?? "—")" }.joined(separator: ", ")
                }.joined(separator: "; "))
                // Grid lines and their values: 0, ¼, ½, ¾ and all of the scale.
                for step in 0 ... 4 {
                    let value = scale.maximum * Double(step) / 4
                    let y = scale.y(value)
                    html.void("line", [("class", step == 0 ? "axis" : "grid"), ("x1", number(left)), ("x2", number(width - right)),
                                       ("y1", number(y)), ("y2", number(y))])
                    html.element("text", [("x", number(left - 6)), ("y", number(y + 4)), ("text-anchor", "end")], format(value))
                }
                // Category labels, thinned out so they do not overlap.
                let every = max(1, Int((Double(shown.count) / 12).rounded(.up)))
                for (position, category) in shown.enumerated() where position % every == 0 {
                    let x = scale.x(position)
                    if shown.count > 8 {
                        html.element("text", [("x", number(x)), ("y", number(height - bottom + 14)), ("text-anchor", "end"),
                                              ("transform", "rotate(-40 \(number(x)) \(number(height - bottom + 14)))")], category)
                    } else {
                        html.element("text", [("x", number(x)), ("y", number(height - bottom + 18)), ("text-anchor", "middle")], category)
                    }
                }
                marks(&html, scale)
            }
        }
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (1 for nothing to show).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        while magnitude > value { magnitude /= 10 }
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where magnitude * factor >= value { return magnitude * factor }
        return magnitude * 10
    }

    /// A coordinate with one decimal.
    private static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths / 10)
        let fraction = Int(abs(tenths).truncatingRemainder(dividingBy: 10))
        return fraction == 0 ? String(whole) : "\(tenths < 0 && whole == 0 ? "-" : "")\(whole).\(fraction)"
    }
}
