import EventLog
import Rehabilitation

/// The languages of what people read: Simplified Chinese first, English beside it.
package enum Language: String, CaseIterable, Sendable {
    case zh, en

    /// The language a locale name asks for (`zh_CN.UTF-8` → zh); nil for none or another.
    package init?(locale: String?) {
        guard let locale, !locale.isEmpty else { return nil }
        self = locale.lowercased().hasPrefix("zh") ? .zh : .en
    }
}

/// A text in both languages.
package struct Label: Sendable, Equatable {
    package let zh: String
    package let en: String

    package init(_ zh: String, _ en: String) {
        self.zh = zh
        self.en = en
    }

    package subscript(_ language: Language) -> String { language == .zh ? zh : en }
}

/// The words for the catalogue's codes, alerts and refusals, in both languages. The codes
/// themselves are defined by the catalogue (`EventType`, its choices and fields), the alert
/// rules and the refusal list; this table only names them, and a test checks that every one of
/// them has its label here.
package enum Vocabulary {
    // MARK: Event types

    /// What an event is, as a noun ("尿检", "救助"): the word the timeline starts a line with.
    package static func eventType(_ type: EventType) -> Label {
        switch type {
        case .enrolled: Label("报到", "enrolled")
        case .measureEnded: Label("措施结束", "measure ended")
        case .deregistered: Label("注销", "deregistered")
        case .checkIn: Label("签到", "check-in")
        case .testResult: Label("尿检", "test")
        case .trainingAttended: Label("培训", "training")
        case .educationCompleted: Label("教育", "education")
        case .pointsAdjusted: Label("积分调整", "points adjusted")
        case .pointsRedeemed: Label("积分兑换", "points redeemed")
        case .aidPaid: Label("救助", "aid")
        case .jobPlaced: Label("就业", "job placed")
        case .jobEnded: Label("离职", "job ended")
        case .employerSubsidyPaid: Label("企业补贴", "employer subsidy")
        case .insuranceEnrolled: Label("参保", "insurance")
        case .voided: Label("撤销", "void")
        case .rulesAdopted: Label("积分规则", "rules adopted")
        case .accessGranted: Label("授权", "access granted")
        case .accessRevoked: Label("撤权", "access revoked")
        case .transferred: Label("变更执行地", "transferred")
        }
    }

    /// The label of a stored type name; the name itself for one the catalogue lacks.
    package static func eventType(named name: String) -> Label {
        EventType(name: name).map(eventType) ?? Label(name, name)
    }

    // MARK: Fields and choices

    /// A data field's label, by its catalogue name.
    package static func field(_ name: String) -> Label {
        fields[name] ?? Label(name, name)
    }

    /// Every field name the catalogue uses has one (a test holds it).
    package static let fields: [String: Label] = [
        "program": Label("措施", "measure"),
        "town": Label("镇街", "town"),
        "employable": Label("有就业能力", "employable"),
        "reason": Label("原因", "reason"),
        "channel": Label("方式", "channel"),
        "result": Label("结果", "result"),
        "method": Label("检测方式", "method"),
        "kind": Label("类别", "kind"),
        "course": Label("课程", "course"),
        "delta": Label("分值", "points"),
        "points": Label("兑换分数", "points"),
        "item": Label("兑换物品", "item"),
        "amount_fen": Label("金额（元）", "amount (yuan)"),
        "employer": Label("用人单位", "employer"),
        "event": Label("被撤销的事件", "event voided"),
        "document": Label("规则文件", "rules document"),
        "identity": Label("身份", "identity"),
        "role": Label("角色", "role"),
        "towns": Label("镇街", "towns"),
        "token_sha256": Label("令牌摘要", "token digest"),
    ]

    /// A choice's label, by its name (names are unique across the catalogue's choice sets; a
    /// test holds it).
    package static func choice(_ name: String) -> Label {
        choices[name] ?? Label(name, name)
    }

    package static let choices: [String: Label] = [
        "community_detox": Label("社区戒毒", "community detox"),
        "community_rehab": Label("社区康复", "community rehabilitation"),
        "completed": Label("期满解除", "completed"),
        "compulsory_isolation": Label("强制隔离戒毒", "compulsory isolation"),
        "moved_away": Label("迁出", "moved away"),
        "deceased": Label("死亡", "deceased"),
        "removed": Label("除名", "removed"),
        "in_person": Label("现场", "in person"),
        "online": Label("线上", "online"),
        "negative": Label("阴性", "negative"),
        "positive": Label("阳性", "positive"),
        "refused": Label("拒检", "refused"),
        "vocational": Label("职业技能", "vocational"),
        "agricultural": Label("农业技术", "agricultural"),
        "subsistence": Label("低保", "subsistence"),
        "temporary": Label("临时救助", "temporary relief"),
        "enterprise": Label("企业", "enterprise"),
        "self_employment": Label("自主创业", "self-employment"),
        "public_welfare": Label("公益岗位", "public-welfare post"),
        "social": Label("社会保险", "social insurance"),
        "medical": Label("医疗保险", "medical insurance"),
        "recorder": Label("社工", "recorder"),
        "town_office": Label("镇街禁毒办", "town office"),
        "city_office": Label("市禁毒办", "city office"),
        "auditor": Label("审计", "auditor"),
        "admin": Label("系统管理员", "admin"),
    ]

    package static func yes(_ value: Bool) -> Label { value ? Label("是", "yes") : Label("否", "no") }

    // MARK: Alerts

    package static func alertKind(_ kind: Alert.Kind) -> Label {
        switch kind {
        case .contact: Label("未按期报到", "contact overdue")
        case .seriousViolation: Label("严重违反协议", "serious violation")
        case .relapseReport: Label("复吸报告", "relapse report")
        }
    }

    package static func alertLevel(_ level: Alert.Level) -> Label {
        switch level {
        case .late: Label("逾期", "late")
        case .suspectedLostContact: Label("疑似失联", "suspected lost")
        case .lostContact: Label("失联", "lost")
        }
    }

    // MARK: Refusals

    /// What a refusal code means, said to the person who typed the value (the ledger's English
    /// reason is kept beside it for the details).
    package static func refusal(_ code: RefusalCode) -> Label {
        refusals[code.rawValue] ?? Label("记录被拒绝（\(code.rawValue)）", "refused (\(code.rawValue))")
    }

    /// Every refusal code has one (a test holds it).
    package static let refusals: [String: Label] = [
        "id.conflict": Label("该编号已被另一条不同的记录使用", "this id is already used by a different event"),
        "version.conflict": Label("记录已被他人更新，请刷新后重试", "the participant's record changed meanwhile; reload and retry"),
        "json.syntax": Label("内容格式不正确", "the content is not valid JSON"),
        "line.too_long": Label("内容过长", "the content is too long"),
        "envelope.unknown_field": Label("含有未知的字段", "an unknown field"),
        "envelope.missing": Label("缺少必填项", "a required field is missing"),
        "envelope.type": Label("字段类型不正确", "a field has the wrong type"),
        "envelope.invalid": Label("编号、类型或人员编号格式不正确", "an id, type or participant breaks its rule"),
        "at.invalid": Label("时间格式不正确", "the time is not valid"),
        "data.too_large": Label("内容过多", "the data is too large"),
        "type.unknown": Label("未知的事件类型", "an unknown event type"),
        "data.missing": Label("此项为必填项", "this field is required"),
        "data.type": Label("请填写正确的数值", "enter a valid value"),
        "data.length": Label("请填写 1 至 200 个字", "enter 1 to 200 characters"),
        "data.out_of_range": Label("数值超出允许范围（或不能为 0）", "the number is out of range (or zero)"),
        "data.not_a_choice": Label("请从列表中选择", "choose one of the list"),
        "data.unknown_town": Label("不是本市的镇街", "not a town of the city"),
        "data.unknown_field": Label("含有该事件类型没有的字段", "a field this event type does not have"),
        "privacy.identifier": Label("不得填写身份证号或手机号", "do not enter an identity card or mobile number"),
        "at.future": Label("时间不能晚于现在", "the time is in the future"),
        "at.before_enrolment": Label("时间早于本次报到", "the time is before the enrolment"),
        "at.before_measure_end": Label("时间早于上次措施结束", "the time is before the last measure ended"),
        "at.before_placement": Label("离职时间早于就业时间", "the job ends before it began"),
        "participant.not_registered": Label("该人员不在册", "the participant is not on the register"),
        "participant.already_under_measure": Label("该人员已在执行措施", "the participant is already under a measure"),
        "participant.not_under_measure": Label("该人员未在执行措施", "the participant is not under a measure"),
        "participant.already_employed": Label("该人员已就业", "the participant is already employed"),
        "participant.not_employed": Label("该人员未就业", "the participant is not employed"),
        "points.insufficient": Label("积分余额不足", "the balance holds fewer points"),
        "void.unknown_target": Label("找不到要撤销的记录", "no event has this id"),
        "void.other_participant": Label("要撤销的记录属于其他人员", "the event belongs to another participant"),
        "void.not_voidable": Label("该类记录不能撤销", "this kind of event cannot be voided"),
        "void.already_voided": Label("该记录已被撤销", "the event is already voided"),
        "void.has_dependents": Label("该报到记录之后还有有效记录，请先撤销它们", "later events stand on this enrolment; void them first"),
        "actor.mismatch": Label("记录人必须是当前登录的身份", "the actor must be the signed-in identity"),
        "rules.invalid": Label("规则文件有误", "the rules document is invalid"),
        "access.identity": Label("身份名称格式不正确", "the identity name breaks its rule"),
        "access.towns": Label("镇街设置不正确", "the towns do not fit the role"),
    ]

    // MARK: Numbers, money and dates

    /// Fen as yuan with two decimals and thousands separators: 120000 → "1,200.00".
    package static func yuan(_ fen: Int64) -> String {
        let negative = fen < 0
        let magnitude = fen.magnitude
        let whole = String(magnitude / 100)
        let cents = magnitude % 100
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (negative ? "-" : "") + grouped + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// An amount with its unit: "1,200.00 元" / "¥1,200.00".
    package static func money(_ fen: Int64, _ language: Language) -> String {
        language == .zh ? yuan(fen) + " 元" : "¥" + yuan(fen)
    }

    /// A rate as a percentage with one decimal ("96.0%"); "—" for none.
    package static func percent(_ rate: Double?) -> String {
        guard let rate, rate.isFinite else { return "—" }
        let tenths = (rate * 1000).rounded()
        let sign = tenths < 0 ? "-" : ""
        let magnitude = Int64(abs(tenths))
        return sign + String(magnitude / 10) + "." + String(magnitude % 10) + "%"
    }

    /// A signed change of a rate, as a percentage with one decimal ("+18.9%", "-3.0%").
    package static func percentChange(_ rate: Double?) -> String {
        guard let rate, rate.isFinite else { return "—" }
        return (rate > 0 ? "+" : "") + percent(rate)
    }

    /// A whole number with thousands separators.
    package static func count(_ value: Int64) -> String {
        let text = String(value.magnitude)
        var grouped = ""
        for (index, character) in text.enumerated() {
            if index > 0 && (text.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A points delta with its sign ("+2", "-5", "0").
    package static func delta(_ value: Int64) -> String { value > 0 ? "+\(value)" : String(value) }

    // MARK: An event in words

    /// An event's data in words, after its type: "尿检 阴性", "救助 低保 1,200.00 元",
    /// "就业 企业 某某公司". Written from the catalogue's field definitions, so a new type or
    /// field is described without a change here.
    /// Without `includingType`, only the data's words ("阴性", "低保 1,200.00 元").
    package static func describe(type: String, data: JSONValue, city: City, _ language: Language, includingType: Bool = true) -> String {
        let label = eventType(named: type)[language]
        guard let eventType = EventType(name: type), let members = data.objectMembers else { return includingType ? label : "" }
        var words = includingType ? [label] : []
        for field in eventType.definition.fields {
            guard let value = members[field.name] else { continue }
            switch field.kind {
            case .choice:
                if let name = value.stringValue { words.append(choice(name)[language]) }
            case .town:
                if let id = value.stringValue { words.append(city.town(id).map { language == .zh ? $0.name : $0.id } ?? id) }
            case .flag:
                if value.boolValue == true { words.append(Vocabulary.field(field.name)[language]) }
            case .integer:
                guard let number = value.integerValue else { continue }
                if field.name == "amount_fen" {
                    words.append(money(number, language))
                } else if field.name == "delta" {
                    words.append(delta(number) + (language == .zh ? " 分" : " points"))
                } else if field.name == "points" {
                    words.append(String(number) + (language == .zh ? " 分" : " points"))
                } else {
                    words.append(String(number))
                }
            case .text:
                // A digest means nothing to a reader; a rules document is pages long (`rules show`).
                if field.name == "token_sha256" || field.name == "document" { continue }
                if let text = value.stringValue { words.append(DisplayText.escaped(text)) }
            }
        }
        return words.joined(separator: " ")
    }

    /// The town's name for people: its Chinese name, or its id in English.
    package static func town(_ id: String, city: City, _ language: Language) -> String {
        guard let town = city.town(id) else { return id }
        return language == .zh ? town.name : town.id
    }
}
