import LedgerDocuments
import Rehabilitation

/// Sign-in, and the start page of a role that has no worklist.
package enum LoginPage {
    package static func render(language: Language, loginToken: String, problem: Label?, back: String) -> HTML {
        PageShell.bare(language: language, name: "login", title: Label("登录", "Sign in")[language], back: back) { html in
            html.element("form", [("method", "post"), ("action", "/login"), ("data-form", "login")]) { html in
                html.void("input", [("type", "hidden"), ("name", "csrf"), ("value", loginToken)])
                html.element("label", [("for", "token")], Label("访问令牌", "Access token")[language])
                html.void("input", [("type", "password"), ("id", "token"), ("name", "token"), ("autocomplete", "current-password"),
                                    ("maxlength", "64"), ("aria-describedby", problem == nil ? "token-help" : "token-error")])
                html.element("p", [("id", "token-help"), ("class", "muted")],
                             Label("令牌由系统管理员用 recovery access grant 发放，以 rl_ 开头。",
                                   "The token comes from the admin's `recovery access grant` and starts with rl_.")[language])
                if let problem {
                    html.element("p", [("id", "token-error"), ("class", "field-error"), ("data-field", "token"), ("role", "alert")], problem[language])
                }
                html.element("p") { html in html.element("button", [("type", "submit")], Label("登录", "Sign in")[language]) }
            }
        }
    }

    /// The start page of a role with no page of its own (the admin, whose work is identities).
    package static func home(_ viewer: Viewer) -> HTML {
        PageShell.page(viewer, name: "home", title: viewer("首页", "Start")) { html in
            if viewer.navigation.isEmpty {
                html.element("p", [], viewer("此角色没有可查看的页面；身份与令牌用 recovery access 命令或管理接口管理。",
                                             "This role has no pages: identities and tokens are managed with `recovery access` or the admin routes."))
            } else {
                html.element("ul") { html in
                    for page in viewer.navigation {
                        html.element("li") { html in html.element("a", [("href", page.path)], viewer(page.label)) }
                    }
                }
            }
        }
    }
}
