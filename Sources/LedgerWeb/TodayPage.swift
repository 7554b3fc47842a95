import EventLog
import LedgerDocuments
import Rehabilitation

/// The worklist: the day's alerts of the viewer's towns (or the city's), grouped by town in the
/// city's order — `recovery alerts --as-of DAY`, with each participant's last contact.
package enum TodayPage {
    package struct Row: Sendable {
        package let alert: Alert
        /// The local date of the participant's last check-in or test on or before the day.
        package let lastContact: CivilDate?
        package init(alert: Alert, lastContact: CivilDate?) {
            self.alert = alert
            self.lastContact = lastContact
        }
    }

    /// The orders the table can be sorted in (within each town).
    package enum Sort: String, CaseIterable, Sendable {
        case participant, kind, since, days, contact

        var label: Label {
            switch self {
            case .participant: Label("人员编号", "Participant")
            case .kind: Label("预警", "Alert")
            case .since: Label("起始日期", "Since")
            case .days: Label("逾期天数", "Days overdue")
            case .contact: Label("最后联系", "Last contact")
            }
        }

        func ordered(_ rows: [Row]) -> [Row] {
            switch self {
            case .participant: rows
            case .kind: rows.sorted { rank($0) < rank($1) }
            case .since: rows.sorted { $0.alert.since < $1.alert.since }
            case .days: rows.sorted { ($0.alert.daysOverdue ?? -1) > ($1.alert.daysOverdue ?? -1) }
            case .contact: rows.sorted { ($0.lastContact?.daysSinceEpoch ?? .min) < ($1.lastContact?.daysSinceEpoch ?? .min) }
            }
        }

        /// Most urgent first: relapse report, serious violation, lost, suspected lost, late.
        private func rank(_ row: Row) -> Int {
            switch (row.alert.kind, row.alert.level) {
            case (.relapseReport, _): 0
            case (.seriousViolation, _): 1
            case (.contact, .lostContact?): 2
            case (.contact, .suspectedLostContact?): 3
            default: 4
            }
        }
    }

    /// The rows grouped by the city's town order, each group in `sort`'s order (stable: ties
    /// keep `alerts`' participant order).
    package static func grouped(_ rows: [Row], towns: [Town], sort: Sort) -> [(town: Town, rows: [Row])] {
        var byTown: [String: [Row]] = [:]
        for row in rows { byTown[row.alert.town, default: []].append(row) }
        return towns.compactMap { town in byTown[town.id].map { (town, sort.ordered($0)) } }
    }

    /// The columns of the table and of its CSV, in both: one definition.
    package static func header(_ language: Language) -> [String] {
        [Label("镇街", "Town"), Sort.participant.label, Label("预警", "Alert"), Label("级别", "Level"),
         Sort.since.label, Sort.days.label, Sort.contact.label].map { $0[language] }
    }

    package static func cells(_ row: Row, city: City, _ language: Language) -> [String] {
        [Vocabulary.town(row.alert.town, city: city, language), row.alert.participant, Vocabulary.alertKind(row.alert.kind)[language],
         row.alert.level.map { Vocabulary.alertLevel($0)[language] } ?? "", row.alert.since.description,
         row.alert.daysOverdue.map(String.init) ?? "", row.lastContact?.description ?? ""]
    }

    /// The worklist as a spreadsheet (UTF-8 with BOM, the page's columns).
    package static func csv(_ groups: [(town: Town, rows: [Row])], city: City, _ language: Language) throws -> [UInt8] {
        try SpreadsheetCSV.document(header: header(language), rows: groups.flatMap { $0.rows.map { cells($0, city: city, language) } },
                                    numericColumns: [5])
    }

    package static func render(_ viewer: Viewer, day: CivilDate, today: CivilDate, town: String?, sort: Sort,
                               groups: [(town: Town, rows: [Row])], scopeTowns: [Town]) -> HTML {
        PageShell.page(viewer, name: "today", title: viewer(WebPage.today.label) + " · " + day.description, current: .today) { html in
            let query: [(String, String?)] = [("as_of", day == today ? nil : day.description), ("town", town)]
            html.element("form", [("method", "get"), ("action", "/today"), ("class", "toolbar"), ("data-form", "worklist-filter")]) { html in
                html.element("label", [("for", "as_of")], viewer("日期", "Date"))
                html.void("input", [("type", "date"), ("id", "as_of"), ("name", "as_of"), ("value", day.description)])
                if scopeTowns.count > 1 {
                    html.element("label", [("for", "town")], viewer("镇街", "Town"))
                    html.element("select", [("id", "town"), ("name", "town")]) { html in
                        html.element("option", [("value", ""), HTML.flag("selected", town == nil)], viewer("全部", "All"))
                        for candidate in scopeTowns {
                            html.element("option", [("value", candidate.id), HTML.flag("selected", candidate.id == town)],
                                         Vocabulary.town(candidate.id, city: viewer.city, viewer.language))
                        }
                    }
                }
                html.void("input", [("type", "hidden"), ("name", "sort"), ("value", sort == .participant ? nil : sort.rawValue)])
                html.element("button", [("type", "submit")], viewer("查看", "Show"))
                html.element("a", [("id", "export-csv"), ("class", "button secondary"),
                                   ("href", Query.link("/today.csv", query + [("sort", sort == .participant ? nil : sort.rawValue)]))],
                             viewer("导出 CSV", "Export CSV"))
            }
            if viewer.seesParticipants {
                html.element("form", [("method", "get"), ("action", "/participants"), ("class", "toolbar"), ("data-form", "find")]) { html in
                    html.element("label", [("for", "find-id")], viewer("查找人员编号", "Open participant"))
                    html.void("input", [("type", "text"), ("id", "find-id"), ("name", "id"), ("maxlength", "32"), ("autocomplete", "off")])
                    html.element("button", [("type", "submit"), ("class", "secondary")], viewer("打开", "Open"))
                }
            }
            let total = groups.reduce(0) { $0 + $1.rows.count }
            html.element("p", [("class", "muted")], viewer("共 \(total) 条预警，按\(viewer(sort.label))排序。", "\(total) alerts, sorted by \(viewer(sort.label).lowercased())."))
            html.element("div", PageShell.scrollable(viewer)) { html in
                html.element("table", [("id", "worklist")]) { html in
                    html.element("caption", [], viewer("预警名单", "Alerts"))
                    html.element("thead") { html in
                        html.element("tr") { html in
                            let titles = header(viewer.language)
                            for (index, title) in titles.enumerated() {
                                let key: Sort? = switch index {
                                case 1: .participant
                                case 2: .kind
                                case 4: .since
                                case 5: .days
                                case 6: .contact
                                default: nil
                                }
                                let numeric = index == 5
                                html.element("th", [("scope", "col"), ("class", numeric ? "num" : (index == 0 ? "hide-narrow" : nil)),
                                                    ("aria-sort", key == sort ? (sort == .days ? "descending" : "ascending") : nil)]) { html in
                                    if let key {
                                        html.element("a", [("href", Query.link("/today", query + [("sort", key == .participant ? nil : key.rawValue)])),
                                                           ("data-sort", key.rawValue)], title)
                                    } else {
                                        html.write(title)
                                    }
                                }
                            }
                        }
                    }
                    for group in groups {
                        html.element("tbody", [("data-town", group.town.id)]) { html in
                            html.element("tr") { html in
                                html.element("th", [("scope", "rowgroup"), ("colspan", "7")],
                                             Vocabulary.town(group.town.id, city: viewer.city, viewer.language) + " (\(group.rows.count))")
                            }
                            for row in group.rows { rowHTML(&html, row, viewer) }
                        }
                    }
                }
            }
            if total == 0 { html.element("p", [("class", "notice")], viewer("这一天没有预警。", "No alerts on this day.")) }
        }
    }

    private static func rowHTML(_ html: inout HTML, _ row: Row, _ viewer: Viewer) {
        let alert = row.alert
        let cells = cells(row, city: viewer.city, viewer.language)
        html.element("tr", [("data-participant", alert.participant), ("data-town", alert.town), ("data-kind", alert.kind.rawValue),
                            ("data-level", alert.level?.rawValue ?? ""), ("data-since", alert.since.description),
                            ("data-days", alert.daysOverdue.map(String.init) ?? "")]) { html in
            html.element("td", [("class", "hide-narrow")], cells[0])
            html.element("td") { html in
                if viewer.seesParticipants {
                    html.element("a", [("href", "/participants/" + Query.encode(alert.participant))], alert.participant)
                } else {
                    html.write(alert.participant)
                }
            }
            html.element("td", [("class", "kind-\(alert.kind.rawValue)")], cells[2])
            html.element("td", [("class", alert.level.map { "level-\($0.rawValue)" })], cells[3])
            html.element("td", [], cells[4])
            html.element("td", [("class", "num")], cells[5])
            html.element("td", [], cells[6])
        }
    }
}
