import LedgerDocuments
import Rehabilitation

/// The pages people navigate between (the participant page and statement are reached from a
/// worklist row or a search, not from the navigation).
package enum WebPage: String, CaseIterable, Sendable {
    case today, figures, rules, integrity

    package var path: String { "/" + rawValue }

    package var label: Label {
        switch self {
        case .today: Label("今日工作", "Today")
        case .figures: Label("全市数据", "City figures")
        case .rules: Label("积分规则", "Rules")
        case .integrity: Label("台账核验", "Integrity")
        }
    }
}

/// Who is reading, in which language, and what the navigation offers them.
package struct Viewer: Sendable {
    package let identity: String
    package let role: Role
    package let towns: [String]
    package let language: Language
    /// The session's form token, written into every form.
    package let csrf: String
    /// The pages the role may open, in the navigation's order.
    package let navigation: [WebPage]
    /// Whether the role may open participants (a search box is shown).
    package let seesParticipants: Bool
    /// The path and query of this page (the language switch returns to it).
    package let path: String
    package let city: City

    package init(identity: String, role: Role, towns: [String], language: Language, csrf: String, navigation: [WebPage],
                 seesParticipants: Bool, path: String, city: City) {
        self.identity = identity
        self.role = role
        self.towns = towns
        self.language = language
        self.csrf = csrf
        self.navigation = navigation
        self.seesParticipants = seesParticipants
        self.path = path
        self.city = city
    }

    package func callAsFunction(_ label: Label) -> String { label[language] }
    package func callAsFunction(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
}

/// The frame every page shares: head, navigation, language switch, sign-out, main content.
package enum PageShell {
    package static let title = Label("社区戒毒康复台账", "Recovery Ledger")

    /// A page for a signed-in viewer.
    package static func page(_ viewer: Viewer, name: String, title: String, current: WebPage? = nil,
                             body: (inout HTML) -> Void) -> HTML {
        var html = HTML()
        head(&html, language: viewer.language, title: title + " · " + viewer(Self.title))
        html.open("body", [("data-page", name), ("data-lang", viewer.language.rawValue)])
        html.element("a", [("class", "skip"), ("href", "#main")], viewer("跳到正文", "Skip to content"))
        html.element("header", [("class", "top")]) { html in
            html.element("a", [("class", "brand"), ("href", "/")], viewer.city.name + " · " + viewer(Self.title))
            html.element("nav", [("aria-label", viewer("主导航", "Main"))]) { html in
                html.element("ul") { html in
                    for page in viewer.navigation {
                        html.element("li") { html in
                            html.element("a", [("href", page.path), ("data-nav", page.rawValue),
                                               ("aria-current", page == current ? "page" : nil)], viewer(page.label))
                        }
                    }
                }
            }
            html.element("div", [("class", "who")]) { html in
                html.element("span", [("class", "identity")], viewer.identity + " · " + viewer(Vocabulary.choice(viewer.role.name)))
                languageSwitch(&html, language: viewer.language, back: viewer.path)
                html.element("form", [("method", "post"), ("action", "/logout"), ("data-form", "logout"), ("class", "inline")]) { html in
                    html.void("input", [("type", "hidden"), ("name", "csrf"), ("value", viewer.csrf)])
                    html.element("button", [("type", "submit")], viewer("退出", "Sign out"))
                }
            }
        }
        finish(&html, title: title, body: body)
        return html
    }

    /// A page for someone not signed in (sign-in, errors before a session).
    package static func bare(language: Language, name: String, title: String, back: String, body: (inout HTML) -> Void) -> HTML {
        var html = HTML()
        head(&html, language: language, title: title + " · " + Self.title[language])
        html.open("body", [("data-page", name), ("data-lang", language.rawValue), ("class", "bare")])
        html.element("header", [("class", "top")]) { html in
            html.element("span", [("class", "brand")], Self.title[language])
            html.element("div", [("class", "who")]) { html in languageSwitch(&html, language: language, back: back) }
        }
        finish(&html, title: title, body: body)
        return html
    }

    /// The main content under its heading, and the document's end.
    private static func finish(_ html: inout HTML, title: String, body: (inout HTML) -> Void) {
        html.element("main", [("id", "main")]) { html in
            html.element("h1", [], title)
            body(&html)
        }
        html.close("body")
        html.close("html")
    }

    private static func head(_ html: inout HTML, language: Language, title: String) {
        html.doctype()
        html.open("html", [("lang", language == .zh ? "zh-CN" : "en")])
        html.element("head") { html in
            html.void("meta", [("charset", "utf-8")])
            html.void("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
            html.element("title", [], title)
            html.void("link", [("rel", "stylesheet"), ("href", Style.path)])
        }
    }

    private static func languageSwitch(_ html: inout HTML, language: Language, back: String) {
        let other: Language = language == .zh ? .en : .zh
        html.element("a", [("class", "lang"), ("href", "/lang/\(other.rawValue)?back=" + Query.encode(back)),
                           ("lang", other == .zh ? "zh-CN" : "en"), ("data-nav", "lang")],
                     other == .zh ? "中文" : "English")
    }

    /// A wide table's frame, which scrolls sideways on a narrow screen: focusable, so a
    /// keyboard can scroll it too (axe: scrollable-region-focusable), and named as a region.
    package static func scrollable(_ viewer: Viewer) -> [HTML.Attribute] {
        [("class", "table-wrap"), ("tabindex", "0"), ("role", "region"), ("aria-label", viewer("表格（可左右滚动）", "Table (scrolls sideways)"))]
    }

    /// A hidden form token.
    package static func csrfField(_ html: inout HTML, _ viewer: Viewer) {
        html.void("input", [("type", "hidden"), ("name", "csrf"), ("value", viewer.csrf)])
    }

    /// An error page (403, 404, …) inside the frame.
    package static func error(_ viewer: Viewer, status: Int, message: String) -> HTML {
        page(viewer, name: "error", title: errorTitle(status)[viewer.language]) { html in
            html.element("p", [("class", "error-message"), ("data-status", String(status))], message)
            html.element("p") { html in html.element("a", [("href", "/")], viewer("返回首页", "Back to the start")) }
        }
    }

    package static func errorTitle(_ status: Int) -> Label {
        switch status {
        case 403: Label("无权查看", "Not allowed")
        case 404: Label("未找到", "Not found")
        case 400, 422: Label("请求有误", "Bad request")
        case 429: Label("尝试次数过多", "Too many attempts")
        case 503: Label("暂时无法服务", "Unavailable")
        default: Label("出错了", "Something went wrong")
        }
    }
}

/// Query strings: percent-encoding for links the pages write.
package enum Query {
    /// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
    package static func encode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "0") ... UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// `path?key=value&…` with the nil values left out.
    package static func link(_ path: String, _ items: [(String, String?)]) -> String {
        let parts = items.compactMap { key, value in value.map { key + "=" + encode($0) } }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }
}
