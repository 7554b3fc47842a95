import EventLog
import LedgerDocuments
import Rehabilitation

/// The points rules: the adopted versions and their history (`recovery rules show`), a
/// preview of a new document (`rules diff`) and its adoption (`rules adopt --reason`).
package enum RulesPage {
    /// A previewed document and what adopting it would change.
    package struct Preview: Sendable {
        package let document: String
        /// Nil when the document does not parse (`problem` says why).
        package let diff: RulesDiff?
        package let problem: String?
        /// The re-priced events of the first changed participants (`repricedShown` of them).
        package let repriced: [String: [RepricedEvent]]
        /// Versions of the document that take effect on or before today and are not already
        /// adopted as they are: adopting re-prices the past, which needs an explicit yes.
        package let pastVersions: [RulesVersion]
        /// Why the last adoption attempt was refused, by form field ("reason", "confirm_past", "").
        package let adoptErrors: [String: Label]
        package init(document: String, diff: RulesDiff?, problem: String?, repriced: [String: [RepricedEvent]], pastVersions: [RulesVersion],
                     adoptErrors: [String: Label] = [:]) {
            self.document = document
            self.diff = diff
            self.problem = problem
            self.repriced = repriced
            self.pastVersions = pastVersions
            self.adoptErrors = adoptErrors
        }
    }

    /// How many changed participants the preview details event by event (all are listed).
    package static let repricedShown = 20
    /// The most changed participants the preview lists (the count says how many there are).
    package static let changedShown = 1_000

    package static func render(_ viewer: Viewer, current: PointsRules, history: [RulesAdoption], canPreview: Bool, canAdopt: Bool,
                               preview: Preview?, adopted: UInt64?) -> HTML {
        PageShell.page(viewer, name: "rules", title: viewer(WebPage.rules.label), current: .rules) { html in
            if let adopted {
                html.element("p", [("class", "notice"), ("id", "adopted"), ("data-seq", String(adopted)), ("role", "status")],
                             viewer("新规则已通过，序号 \(adopted)；所有积分已按新规则重算。", "The new rules were adopted as seq \(adopted); every balance was recomputed."))
            }
            html.element("h2", [], viewer("现行版本", "Versions in force"))
            versionsTable(&html, viewer, current, id: "versions")
            html.element("h2", [], viewer("通过记录", "Adoptions"))
            html.element("div", PageShell.scrollable(viewer)) { html in
                html.element("table", [("id", "adoptions")]) { html in
                    html.element("thead") { html in
                        html.element("tr") { html in
                            for title in [Label("序号", "Seq"), Label("记录时间", "Recorded"), Label("通过人", "By"), Label("原因", "Reason"), Label("版本", "Versions")] {
                                html.element("th", [("scope", "col")], viewer(title))
                            }
                        }
                    }
                    html.element("tbody") { html in
                        for adoption in history.reversed() {
                            html.element("tr", [("data-seq", String(adoption.seq))]) { html in
                                html.element("td", [("class", "num")], String(adoption.seq))
                                html.element("td", [], CityZone.localString(adoption.recordedAt))
                                html.element("td", [], adoption.actor)
                                html.element("td", [], adoption.reason ?? "—")
                                html.element("td", [], adoption.rules.versions.map { "\($0.name) (\($0.effectiveFrom))" }.joined(separator: ", "))
                            }
                        }
                    }
                }
            }
            guard canPreview else { return }
            html.element("h2", [], viewer("预览新规则", "Preview new rules"))
            html.element("form", [("method", "post"), ("action", "/rules/preview"), ("data-form", "rules-preview"),
                                  ("enctype", "multipart/form-data")]) { html in
                PageShell.csrfField(&html, viewer)
                html.element("label", [("for", "rules-file")], viewer("上传 TOML 文件", "Upload a TOML file"))
                html.void("input", [("type", "file"), ("id", "rules-file"), ("name", "file"), ("accept", ".toml,text/plain")])
                html.element("label", [("for", "rules-document")], viewer("或粘贴规则文件（TOML）", "or paste the rules document (TOML)"))
                html.element("textarea", [("id", "rules-document"), ("name", "document"), ("spellcheck", "false")],
                             preview?.document ?? current.document)
                html.element("p") { html in html.element("button", [("type", "submit")], viewer("预览变化", "Preview the change")) }
            }
            guard let preview else { return }
            html.element("h2", [("id", "preview")], viewer("预览结果", "Preview"))
            if let problem = preview.problem {
                html.element("p", [("class", "field-error"), ("data-field", "document"), ("data-code", "rules.invalid")],
                             viewer(Vocabulary.refusal(.rulesInvalid)) + "：" + problem)
                return
            }
            guard let diff = preview.diff else { return }
            html.element("p", [("data-changed", String(diff.changed.count)), ("data-unchanged", String(diff.unchanged))],
                         viewer("\(diff.changed.count) 人的积分余额会变化，\(diff.unchanged) 人不变。",
                                "\(diff.changed.count) balances would change, \(diff.unchanged) would not."))
            html.element("div", PageShell.scrollable(viewer)) { html in
                html.element("table", [("id", "diff")]) { html in
                    html.element("thead") { html in
                        html.element("tr") { html in
                            for (title, numeric) in [(Label("人员编号", "Participant"), false), (Label("现余额", "Before"), true),
                                                     (Label("新余额", "After"), true), (Label("变化", "Change"), true),
                                                     (Label("重算的事件", "Re-priced events"), false)] {
                                html.element("th", [("scope", "col"), ("class", numeric ? "num" : nil)], viewer(title))
                            }
                        }
                    }
                    html.element("tbody") { html in
                        for change in diff.changed.prefix(changedShown) {
                            html.element("tr", [("data-participant", change.participant), ("data-before", String(change.before)),
                                                ("data-after", String(change.after))]) { html in
                                html.element("td", [], change.participant)
                                html.element("td", [("class", "num")], String(change.before))
                                html.element("td", [("class", "num")], String(change.after))
                                html.element("td", [("class", "num")], Vocabulary.delta(change.after - change.before))
                                html.element("td") { html in
                                    guard let events = preview.repriced[change.participant] else { return }
                                    html.element("ul") { html in
                                        for event in events.prefix(50) {
                                            html.element("li", [("data-seq", String(event.event.seq))],
                                                         "\(event.event.seq) · \(CityZone.localDate(ofUTC: event.event.at)) · "
                                                             + Vocabulary.eventType(named: event.event.type)[viewer.language]
                                                             + " \(Vocabulary.delta(event.before)) → \(Vocabulary.delta(event.after))")
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if diff.changed.count > changedShown {
                html.element("p", [("class", "muted")], viewer("只列出前 \(changedShown) 人。", "Only the first \(changedShown) are listed."))
            }
            guard canAdopt else { return }
            html.element("h2", [], viewer("通过新规则", "Adopt"))
            html.element("form", [("method", "post"), ("action", "/rules/adopt"), ("data-form", "rules-adopt")]) { html in
                PageShell.csrfField(&html, viewer)
                html.void("input", [("type", "hidden"), ("name", "document"), ("value", preview.document)])
                if let general = preview.adoptErrors[""] { html.element("p", [("class", "field-error"), ("data-field", "")], viewer(general)) }
                html.element("label", [("for", "adopt-reason")], viewer("原因（必填）", "Reason (required)"))
                html.void("input", [("type", "text"), ("id", "adopt-reason"), ("name", "reason"), ("maxlength", String(FieldKind.maximumTextScalars)),
                                    ("aria-required", "true"), ("autocomplete", "off")])
                if let problem = preview.adoptErrors["reason"] {
                    html.element("p", [("class", "field-error"), ("data-field", "reason")], viewer(problem))
                }
                if !preview.pastVersions.isEmpty {
                    html.element("p", [("class", "warning")],
                                 viewer("注意：版本 \(preview.pastVersions.map { "\($0.name)（\($0.effectiveFrom) 起）" }.joined(separator: "、")) 从过去的日期生效，通过后将重算已有的积分。",
                                        "Careful: \(preview.pastVersions.map { "\($0.name) (from \($0.effectiveFrom))" }.joined(separator: ", ")) takes effect in the past; adopting re-prices existing points."))
                    html.element("label", [("class", "check")]) { html in
                        html.void("input", [("type", "checkbox"), ("name", "confirm_past"), ("value", "yes")])
                        html.write(" " + viewer("我确认新规则从过去的日期生效", "I confirm that these rules take effect in the past"))
                    }
                    if let problem = preview.adoptErrors["confirm_past"] {
                        html.element("p", [("class", "field-error"), ("data-field", "confirm_past")], viewer(problem))
                    }
                }
                html.element("p") { html in html.element("button", [("type", "submit")], viewer("通过", "Adopt")) }
            }
        }
    }

    static func versionsTable(_ html: inout HTML, _ viewer: Viewer, _ rules: PointsRules, id: StaticString) {
        html.element("div", PageShell.scrollable(viewer)) { html in
            html.element("table", [("id", id.description)]) { html in
                html.element("thead") { html in
                    html.element("tr") { html in
                        html.element("th", [("scope", "col")], viewer("版本", "Version"))
                        html.element("th", [("scope", "col")], viewer("生效日期", "Effective from"))
                        for key in rules.versions.first?.integerFields.map(\.key) ?? [] {
                            html.element("th", [("scope", "col"), ("class", "num")], viewer(ruleKeys[key] ?? Label(key, key)))
                        }
                    }
                }
                html.element("tbody") { html in
                    for version in rules.versions {
                        html.element("tr", [("data-version", version.name)]) { html in
                            html.element("th", [("scope", "row")], version.name)
                            html.element("td", [], version.effectiveFrom.description)
                            for field in version.integerFields { html.element("td", [("class", "num")], String(field.value)) }
                        }
                    }
                }
            }
        }
    }

    /// The rules' keys in words.
    static let ruleKeys: [String: Label] = [
        "check_in": Label("签到", "check-in"), "check_in_monthly_cap": Label("每月签到上限", "check-ins a month"),
        "test_negative": Label("尿检阴性", "negative test"), "test_positive": Label("尿检阳性", "positive test"),
        "test_refused": Label("拒检", "refused test"), "training_attended": Label("培训", "training"),
        "education_completed": Label("教育", "education"), "job_placed": Label("就业", "job placed"),
        "check_in_interval_days": Label("报到间隔（天）", "contact interval (days)"),
    ]
}
