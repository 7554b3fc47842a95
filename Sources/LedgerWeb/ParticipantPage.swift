import EventLog
import LedgerDocuments
import Rehabilitation

/// A participant: the summary of `GET /v1/participants/ID`, the timeline of `recovery audit`,
/// and a form for each event type the catalogue accepts, generated from its field definitions.
package enum ParticipantPage {
    /// What the page shows of one participant.
    package struct Facts: Sendable {
        package let id: String
        package let state: ParticipantState
        package let version: Int
        package let audit: AuditReport
        package init(id: String, state: ParticipantState, version: Int, audit: AuditReport) {
            self.id = id
            self.state = state
            self.version = version
            self.audit = audit
        }
    }

    /// A refused form, shown again with its values and the refusals beside their fields.
    package struct Refused: Sendable {
        package let type: EventType
        package let values: [String: String]
        /// By form field name ("" for the form as a whole).
        package let errors: [String: InputError]
        package init(type: EventType, values: [String: String], errors: [String: InputError]) {
            self.type = type
            self.values = values
            self.errors = errors
        }
    }

    /// The types that have a form, the most frequent first, then the catalogue's order.
    package static let formTypes: [EventType] = {
        let first: [EventType] = [.checkIn, .testResult]
        return first + EventType.acceptedTypes.filter { !first.contains($0) }
    }()

    /// The form field that carries money in 元 (the catalogue's field holds fen).
    package static let yuanField = "amount_yuan"
    /// The catalogue's money field.
    package static let fenField = "amount_fen"
    /// The optional local date and time of an event (empty: now).
    package static let atField = "at"

    package static func render(_ viewer: Viewer, _ facts: Facts, canRecord: Bool, recordedSeq: UInt64?, refused: Refused?,
                               freshID: () -> String) -> HTML {
        PageShell.page(viewer, name: "participant", title: viewer("人员", "Participant") + " " + facts.id) { html in
            if let recordedSeq {
                html.element("p", [("id", "recorded"), ("class", "notice"), ("data-seq", String(recordedSeq)), ("role", "status")],
                             viewer("已记录，序号 \(recordedSeq)。", "Recorded as seq \(recordedSeq)."))
            }
            if refused != nil {
                html.element("p", [("class", "warning"), ("role", "alert")],
                             viewer("记录未保存：请修改标出的内容。", "Not recorded: correct the marked fields."))
            }
            summary(&html, viewer, facts)
            html.element("p", [("class", "no-print")]) { html in
                html.element("a", [("href", "/participants/\(Query.encode(facts.id))/statement"), ("data-nav", "statement")],
                             viewer("打印个人积分与救助清单", "Printable statement"))
            }
            if canRecord {
                html.element("h2", [], viewer("记录事件", "Record an event"))
                let voidable = facts.audit.rows.filter { row in
                    row.voidedBy == nil && EventType(name: row.event.type).map(EventType.voidableTypes.contains) == true
                }
                for type in formTypes {
                    form(&html, viewer, participant: facts.id, type: type, refused: refused?.type == type ? refused : nil,
                         voidable: voidable, eventID: refused?.type == type ? (refused?.values["event_id"] ?? freshID()) : freshID())
                }
            }
            html.element("h2", [], viewer("记录", "History"))
            timeline(&html, viewer, facts.audit)
        }
    }

    static func summary(_ html: inout HTML, _ viewer: Viewer, _ facts: Facts) {
        let state = facts.state
        html.element("dl", [("id", "summary"), ("class", "summary")]) { html in
            func item(_ field: String, _ label: Label, _ value: String, _ shown: String) {
                html.element("dt", [], viewer(label))
                html.element("dd", [("data-field", field), ("data-value", value)], shown)
            }
            item("registered", Label("在册", "On the register"), state.registered ? "true" : "false", viewer(Vocabulary.yes(state.registered)))
            item("under_measure", Label("执行措施中", "Under a measure"), state.underMeasure ? "true" : "false", viewer(Vocabulary.yes(state.underMeasure)))
            item("program", Label("措施", "Measure"), state.currentProgram?.name ?? "",
                 state.currentProgram.map { viewer(Vocabulary.choice($0.name)) } ?? "—")
            item("town", Label("镇街", "Town"), state.currentTown ?? "",
                 state.currentTown.map { Vocabulary.town($0, city: viewer.city, viewer.language) } ?? "—")
            item("employed", Label("就业", "Employed"), state.employed ? "true" : "false", viewer(Vocabulary.yes(state.employed)))
            item("balance", Label("积分余额", "Points balance"), String(state.balance), Vocabulary.count(state.balance))
            item("version", Label("事件数", "Events"), String(facts.version), String(facts.version))
        }
    }

    /// The audit's rows: what `recovery audit ID --json` lists, in words.
    static func timeline(_ html: inout HTML, _ viewer: Viewer, _ audit: AuditReport) {
        html.element("div", PageShell.scrollable(viewer)) { html in
            html.element("table", [("id", "timeline")]) { html in
                html.element("caption", [], viewer("事件时间线（自台账重放）", "Timeline (replayed from the log)"))
                html.element("thead") { html in
                    html.element("tr") { html in
                        for (title, numeric) in [(Label("序号", "Seq"), true), (Label("日期", "Date"), false), (Label("事件", "Event"), false),
                                                 (Label("积分", "Points"), true), (Label("规则版本", "Rules"), false),
                                                 (Label("余额", "Balance"), true), (Label("状态", "Status"), false),
                                                 (Label("记录人", "Recorded by"), false)] {
                            html.element("th", [("scope", "col"), ("class", numeric ? "num" : nil)], viewer(title))
                        }
                    }
                }
                html.element("tbody") { html in
                    let voids = Dictionary(audit.rows.compactMap { row -> (String, String)? in
                        guard row.event.type == EventType.voided.name, let target = row.event.data.objectMembers?["event"]?.stringValue else { return nil }
                        return (row.event.id, target)
                    }, uniquingKeysWith: { first, _ in first })
                    for row in audit.rows {
                        let event = row.event
                        html.element("tr", [("data-seq", String(event.seq)), ("data-id", event.id), ("data-type", event.type),
                                            ("data-delta", String(row.delta)), ("data-balance", String(row.balance)),
                                            ("data-voided-by", row.voidedBy), ("class", row.voidedBy == nil ? nil : "voided")]) { html in
                            html.element("td", [("class", "num")], String(event.seq))
                            html.element("td", [], CityZone.localDate(ofUTC: event.at).description)
                            html.element("td", [], Vocabulary.describe(type: event.type, data: event.data, city: viewer.city, viewer.language))
                            html.element("td", [("class", "num")], row.delta == 0 ? "" : Vocabulary.delta(row.delta))
                            html.element("td", [], row.ruleVersion ?? "")
                            html.element("td", [("class", "num")], Vocabulary.count(row.balance))
                            html.element("td") { html in
                                if let by = row.voidedBy {
                                    html.write(viewer("已撤销（\(by)）", "voided (\(by))"))
                                } else if let target = voids[event.id] {
                                    html.write(viewer("撤销 \(target)", "voids \(target)"))
                                }
                            }
                            html.element("td", [], event.actor)
                        }
                    }
                }
            }
        }
        html.element("p", [("class", audit.consistent ? "muted" : "warning")],
                     audit.consistent
                         ? viewer("重放余额 \(audit.balance) 与账面一致。", "The replayed balance, \(audit.balance), equals the projection's.")
                         : viewer("重放余额 \(audit.balance) 与账面 \(audit.projectionBalance.map(String.init) ?? "—") 不一致，请通知审计。",
                                  "The replayed balance, \(audit.balance), differs from the projection's \(audit.projectionBalance.map(String.init) ?? "—"): tell the auditor."))
    }

    /// One event type's form, written from its catalogue row.
    static func form(_ html: inout HTML, _ viewer: Viewer, participant: String, type: EventType, refused: Refused?,
                     voidable: [ParticipantReplay.Row], eventID: String) {
        let prefix = "f-\(type.name)-"
        html.element("details", [("class", "record"), HTML.flag("open", refused != nil || type == .checkIn)]) { html in
            html.element("summary", [], viewer(Vocabulary.eventType(type)))
            html.element("form", [("method", "post"), ("action", "/participants/\(Query.encode(participant))/events"),
                                  ("data-form", "record-\(type.name)"), ("novalidate", "")]) { html in
                PageShell.csrfField(&html, viewer)
                html.void("input", [("type", "hidden"), ("name", "type"), ("value", type.name)])
                html.void("input", [("type", "hidden"), ("name", "event_id"), ("value", eventID)])
                if let general = refused?.errors[""] {
                    error(&html, viewer, field: "", general)
                }
                for field in type.definition.fields {
                    let name = field.name == fenField ? yuanField : field.name
                    let id = prefix + name
                    let value = refused?.values[name]
                    let errorID = refused?.errors[name] == nil ? nil : id + "-error"
                    if case .flag = field.kind {
                        html.element("label", [("class", "check")]) { html in
                            html.void("input", [("type", "checkbox"), ("name", name), ("value", "true"), HTML.flag("checked", value == "true"),
                                                ("aria-describedby", errorID)])
                            html.write(" " + viewer(Vocabulary.field(field.name)))
                        }
                    } else {
                        html.element("label", [("for", id)], viewer(Vocabulary.field(field.name)) + (field.isOptional ? viewer("（可选）", " (optional)") : ""))
                        input(&html, viewer, field: field, name: name, id: id, value: value, errorID: errorID, voidable: voidable)
                    }
                    if let refusal = refused?.errors[name] { error(&html, viewer, field: name, refusal, id: errorID) }
                }
                let atID = prefix + atField
                html.element("label", [("for", atID)], viewer("发生时间（可选，默认现在）", "When (optional; default now)"))
                html.void("input", [("type", "datetime-local"), ("id", atID), ("name", atField), ("value", refused?.values[atField]),
                                    ("aria-describedby", refused?.errors[atField] == nil ? nil : atID + "-error")])
                if let refusal = refused?.errors[atField] { error(&html, viewer, field: atField, refusal, id: atID + "-error") }
                html.element("p") { html in html.element("button", [("type", "submit")], viewer("保存", "Save")) }
            }
        }
    }

    private static func input(_ html: inout HTML, _ viewer: Viewer, field: FieldDefinition, name: String, id: String, value: String?,
                              errorID: String?, voidable: [ParticipantReplay.Row]) {
        let invalid: HTML.Attribute = ("aria-invalid", errorID == nil ? nil : "true")
        switch field.kind {
        case .choice(let set):
            let selected = value ?? field.defaultCode.flatMap { code in set.choices.first { $0.code == code }?.name }
            html.element("select", [("id", id), ("name", name), ("aria-describedby", errorID), invalid]) { html in
                if selected == nil { html.element("option", [("value", "")], viewer("请选择", "Choose")) }
                for choice in set.choices {
                    html.element("option", [("value", choice.name), HTML.flag("selected", choice.name == selected)], viewer(Vocabulary.choice(choice.name)))
                }
            }
        case .town:
            let towns = viewer.towns.isEmpty ? viewer.city.towns : viewer.city.towns.filter { viewer.towns.contains($0.id) }
            html.element("select", [("id", id), ("name", name), ("aria-describedby", errorID), invalid]) { html in
                for town in towns {
                    html.element("option", [("value", town.id), HTML.flag("selected", town.id == value)], Vocabulary.town(town.id, city: viewer.city, viewer.language))
                }
            }
        case .integer(let range, _):
            if name == yuanField {
                html.void("input", [("type", "text"), ("inputmode", "decimal"), ("id", id), ("name", name), ("value", value),
                                    ("placeholder", "1200.00"), ("autocomplete", "off"), ("aria-describedby", errorID), invalid])
            } else {
                html.void("input", [("type", "text"), ("inputmode", "numeric"), ("id", id), ("name", name), ("value", value),
                                    ("placeholder", "\(range.lowerBound) … \(range.upperBound)"), ("autocomplete", "off"),
                                    ("aria-describedby", errorID), invalid])
            }
        case .flag:
            break
        case .text:
            if field.name == "event" {
                html.element("select", [("id", id), ("name", name), ("aria-describedby", errorID), invalid]) { html in
                    html.element("option", [("value", "")], viewer("请选择要撤销的记录", "Choose the event to void"))
                    for row in voidable.reversed() {
                        html.element("option", [("value", row.event.id), HTML.flag("selected", row.event.id == value)],
                                     "\(row.event.seq) · \(CityZone.localDate(ofUTC: row.event.at)) · "
                                         + Vocabulary.describe(type: row.event.type, data: row.event.data, city: viewer.city, viewer.language))
                    }
                }
            } else {
                html.void("input", [("type", "text"), ("id", id), ("name", name), ("value", value), ("maxlength", String(FieldKind.maximumTextScalars)),
                                    ("autocomplete", "off"), ("aria-describedby", errorID), invalid])
            }
        }
    }

    private static func error(_ html: inout HTML, _ viewer: Viewer, field: String, _ refusal: InputError, id: String? = nil) {
        html.element("p", [("class", "field-error"), ("id", id), ("data-field", field), ("data-code", refusal.code.rawValue)]) { html in
            html.write(viewer(Vocabulary.refusal(refusal.code)))
            html.element("span", [("class", "muted")], " (" + refusal.code.rawValue + ": " + refusal.reason + ")")
        }
    }

    // MARK: The statement

    /// The printable statement: the summary, the points and aid history, and the ledger's
    /// head when it was printed (whoever holds the ledger can check the hash).
    /// What the statement prints of the participant's receipt: the checkpoint's size and root,
    /// the key that signs it, and where the receipt is downloaded.
    package struct ReceiptNote {
        package let size: UInt64
        package let root: String
        package let key: String
        package let href: String

        package init(size: UInt64, root: String, key: String, href: String) {
            self.size = size
            self.root = root
            self.key = key
            self.href = href
        }
    }

    package static func statement(_ viewer: Viewer, _ facts: Facts, printedAt: Int64, headSeq: UInt64, headHash: String, receipt: ReceiptNote? = nil) -> HTML {
        PageShell.page(viewer, name: "statement", title: viewer("个人积分与救助清单", "Points and aid statement") + " · " + facts.id) { html in
            html.element("p", [("class", "no-print")]) { html in
                html.write(viewer("用浏览器的“打印”（Ctrl+P）打印本页，纸张 A4。", "Print this page with the browser's Print (Ctrl+P), on A4."))
                html.write(" ")
                html.element("a", [("href", "/participants/\(Query.encode(facts.id))")], viewer("返回人员页面", "Back to the participant"))
            }
            summary(&html, viewer, facts)
            let aid = facts.audit.rows.filter { $0.voidedBy == nil && $0.event.type == EventType.aidPaid.name }
                .compactMap { $0.event.data.objectMembers?["amount_fen"]?.integerValue }
            html.element("p", [], viewer("救助合计：\(aid.count) 笔，\(Vocabulary.money(aid.reduce(0, +), .zh))。",
                                         "Aid in all: \(aid.count) payments, \(Vocabulary.money(aid.reduce(0, +), .en))."))
            timeline(&html, viewer, facts.audit)
            html.element("p", [("class", "statement-head")]) { html in
                html.write(viewer("打印时间 ", "Printed ") + CityZone.localString(printedAt) + viewer("（北京时间）。台账末笔序号 ", " (city time). Ledger head: seq "))
                html.element("span", [("data-head-seq", String(headSeq))], String(headSeq))
                html.write(viewer("，哈希 ", ", hash "))
                html.element("code", [("class", "hash"), ("data-head-hash", headHash)], headHash)
                html.write(viewer("。持有台账者可用 recovery verify 核对此哈希。", ". Anyone holding the ledger can check this hash with recovery verify."))
            }
            if let receipt {
                html.element("p", [("class", "statement-receipt"), ("data-tree-size", String(receipt.size)), ("data-root", receipt.root)]) { html in
                    html.write(viewer("收据：以上每条事件都可由城市签名的检查点证明（", "Receipt: every event above can be proved under the city's signed checkpoint ("))
                    html.write(viewer("\(receipt.size) 条事件，根哈希 ", "\(receipt.size) events, root "))
                    html.element("code", [("class", "hash")], String(receipt.root.prefix(16)) + "…")
                    html.write(viewer("）。任何人可用城市公钥 ", "). Anyone can check it with the city's public key "))
                    html.element("code", [("class", "hash")], receipt.key)
                    html.write(viewer(" 核对（recovery check-proof 或 Tools/proof_check.py）。", " (recovery check-proof or Tools/proof_check.py). "))
                    html.element("a", [("href", receipt.href), ("class", "no-print")], viewer("下载收据", "Download the receipt"))
                }
            }
        }
    }
}
