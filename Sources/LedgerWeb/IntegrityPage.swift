import EventLog
import LedgerDocuments
import Rehabilitation

/// The auditor's page: the ledger's head, the last verification (`recovery verify`), a button
/// that runs one, and the access log (`recovery access log`) with filters.
package enum IntegrityPage {
    /// A verification the server ran, and when.
    package struct Verification: Sendable {
        package let report: VerificationReport
        package let accessRecords: Int
        package let at: Int64
        package let actor: String
        package init(report: VerificationReport, accessRecords: Int, at: Int64, actor: String) {
            self.report = report
            self.accessRecords = accessRecords
            self.at = at
            self.actor = actor
        }
    }

    package struct Filter: Sendable {
        package let actor: String?
        package let participant: String?
        package let since: String?
        package let from: UInt64
        package init(actor: String?, participant: String?, since: String?, from: UInt64) {
            self.actor = actor
            self.participant = participant
            self.since = since
            self.from = from
        }
    }

    package static func render(_ viewer: Viewer, headSeq: UInt64, headHash: String, headRecordedAt: Int64?, verification: Verification?,
                               canVerify: Bool, filter: Filter, records: [(number: UInt64, record: AccessRecord)], next: UInt64?,
                               filterProblem: String?) -> HTML {
        PageShell.page(viewer, name: "integrity", title: viewer(WebPage.integrity.label), current: .integrity) { html in
            html.element("h2", [], viewer("台账末端", "The ledger's head"))
            html.element("dl", [("class", "summary")]) { html in
                html.element("dt", [], viewer("末笔序号", "Head seq"))
                html.element("dd", [("data-head-seq", String(headSeq))], String(headSeq))
                html.element("dt", [], viewer("末笔哈希", "Head hash"))
                html.element("dd") { html in html.element("code", [("class", "hash"), ("data-head-hash", headHash)], headHash) }
                if let headRecordedAt {
                    html.element("dt", [], viewer("末笔记录时间", "Recorded at"))
                    html.element("dd", [], CityZone.localString(headRecordedAt))
                }
            }
            html.element("h2", [], viewer("核验", "Verification"))
            if let verification {
                let report = verification.report
                html.element("div", [("id", "verification"), ("data-ok", report.ok ? "true" : "false"),
                                     ("data-at", Timestamp.utcString(verification.at)), ("class", report.ok ? "notice" : "warning"),
                                     ("role", "status")]) { html in
                    html.element("p", [], report.ok
                        ? viewer("完好：\(report.events) 条事件的哈希链、索引与账面一致，访问日志 \(verification.accessRecords) 条完好。",
                                 "Intact: the chain, indexes and projections of \(report.events) events agree; \(verification.accessRecords) access records are intact.")
                        : viewer("发现损坏", "Damage found") + (report.firstBadSeq.map { viewer("，首个问题在序号 \($0)", " first at seq \($0)") } ?? "")
                            + "：" + (report.reason ?? ""))
                    html.element("p", [("class", "muted")], viewer("核验时间 ", "Verified at ") + CityZone.localString(verification.at)
                                 + viewer("（北京时间），执行人 ", " (city time) by ") + verification.actor
                                 + viewer("；当时末笔序号 \(report.headSeq)。", "; head seq then \(report.headSeq)."))
                }
            } else {
                html.element("p", [("id", "verification"), ("class", "muted")], viewer("本服务启动后尚未核验。", "Not verified since the server started."))
            }
            if canVerify {
                html.element("form", [("method", "post"), ("action", "/integrity/verify"), ("data-form", "verify")]) { html in
                    PageShell.csrfField(&html, viewer)
                    html.element("button", [("type", "submit")], viewer("立即核验", "Verify now"))
                }
            }
            html.element("h2", [], viewer("访问日志", "Access log"))
            html.element("form", [("method", "get"), ("action", "/integrity"), ("class", "toolbar"), ("data-form", "access-filter")]) { html in
                html.element("label", [("for", "f-actor")], viewer("身份", "Identity"))
                html.void("input", [("type", "text"), ("id", "f-actor"), ("name", "actor"), ("value", filter.actor), ("maxlength", "64")])
                html.element("label", [("for", "f-participant")], viewer("人员编号", "Participant"))
                html.void("input", [("type", "text"), ("id", "f-participant"), ("name", "participant"), ("value", filter.participant), ("maxlength", "32")])
                html.element("label", [("for", "f-since")], viewer("起始日期", "Since"))
                html.void("input", [("type", "date"), ("id", "f-since"), ("name", "since"), ("value", filter.since)])
                html.element("button", [("type", "submit")], viewer("筛选", "Filter"))
            }
            if let filterProblem { html.element("p", [("class", "field-error")], filterProblem) }
            html.element("div", PageShell.scrollable(viewer)) { html in
                html.element("table", [("id", "access-log")]) { html in
                    html.element("thead") { html in
                        html.element("tr") { html in
                            for title in [Label("编号", "No."), Label("时间", "Time"), Label("身份", "Identity"), Label("页面或接口", "Route"),
                                          Label("涉及", "Concerning")] {
                                html.element("th", [("scope", "col")], viewer(title))
                            }
                        }
                    }
                    html.element("tbody") { html in
                        for (number, record) in records {
                            html.element("tr", [("data-number", String(number))]) { html in
                                html.element("td", [("class", "num")], String(number))
                                html.element("td", [], CityZone.localString(record.at))
                                html.element("td", [], record.actor)
                                html.element("td", [], record.route)
                                let concerning = record.participants.prefix(5).joined(separator: ", ")
                                    + (record.participants.count > 5 ? viewer(" 等 \(record.participants.count) 人", " and \(record.participants.count - 5) more") : "")
                                html.element("td", [], [concerning, record.towns.joined(separator: ", ")].filter { !$0.isEmpty }.joined(separator: " · "))
                            }
                        }
                    }
                }
            }
            if let next {
                html.element("p") { html in
                    html.element("a", [("href", Query.link("/integrity", [("actor", filter.actor), ("participant", filter.participant),
                                                                         ("since", filter.since), ("from", String(next))])), ("rel", "next")],
                                 viewer("下一页", "Next page"))
                }
            }
        }
    }
}
