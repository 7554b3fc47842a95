import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// The web pages over real HTTP against the real server process: sign-in and its cookies,
/// the security headers, form tokens, scope, revocation, the access log, and idempotent forms.
/// (The pages' content against the ledger, in a real browser: WebBrowserTests.)
@Suite("Web pages: sessions, forms and scope", .serialized)
struct WebSessionTests {
    /// A client that does not follow redirects: the tests read the 303s themselves.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// A browser, as far as cookies go.
    final class Browser: @unchecked Sendable {
        let base: String
        private(set) var cookies: [String: String] = [:]
        private(set) var setCookieLines: [String] = []

        init(_ base: String) { self.base = base }

        func send(_ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil) async throws -> Answer {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
            if let form {
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
                request.body = .bytes(ByteBuffer(string: body))
            }
            let response = try await WebSessionTests.client.execute(request, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
            for line in response.headers["Set-Cookie"] {
                setCookieLines.append(line)
                let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
                if line.contains("Max-Age=0") { cookies.removeValue(forKey: name) } else { cookies[name] = value }
            }
            return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Array(bytes.readableBytesView))
        }

        static func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }

        /// Signs in through the form; returns the answer to the POST.
        @discardableResult
        func signIn(_ token: String) async throws -> Answer {
            let page = try await send(.GET, "/login")
            let csrf = try #require(WebSessionTests.hidden("csrf", in: page.text))
            return try await send(.POST, "/login", form: [("csrf", csrf), ("token", token)])
        }
    }

    /// The value of the first hidden input named `name` (after `marker`, if given).
    static func hidden(_ name: String, in html: String, after marker: String? = nil) -> String? {
        var text = Substring(html)
        if let marker, let range = html.range(of: marker) { text = html[range.upperBound...] }
        guard let start = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = text[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static let csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    @Test("sign-in: cookies HttpOnly and SameSite=Strict, strict CSP, no script; without a session every page redirects to sign-in")
    func signInAndHeaders() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let browser = Browser(served.url)
        let anonymous = try await browser.send(.GET, "/today")
        #expect(anonymous.status == 303)
        #expect(anonymous.header("Location") == "/login?back=%2Ftoday")
        let login = try await browser.send(.GET, "/login")
        #expect(login.status == 200 && login.text.contains("data-page=\"login\""))
        #expect(login.header("Content-Security-Policy") == Self.csp)
        #expect(login.header("X-Content-Type-Options") == "nosniff")
        #expect(!login.text.contains("<script") && !login.text.contains("style="))
        // A sign-in without the form's token, or with a wrong token, changes nothing.
        let forged = try await browser.send(.POST, "/login", form: [("csrf", "forged"), ("token", served.token("recorder"))])
        #expect(forged.status == 403 && browser.cookies["rl_session"] == nil)
        let wrong = try await browser.signIn("rl_not-a-token")
        #expect(wrong.status == 401 && wrong.text.contains("令牌无效") && browser.cookies["rl_session"] == nil)
        let signedIn = try await browser.signIn(served.token("recorder"))
        #expect(signedIn.status == 303 && signedIn.header("Location") == "/today")
        let cookie = try #require(browser.setCookieLines.last { $0.hasPrefix("rl_session=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/") && !cookie.contains("Secure"))
        let today = try await browser.send(.GET, "/today")
        #expect(today.status == 200 && today.text.contains("data-page=\"today\""))
        #expect(today.header("Content-Security-Policy") == Self.csp && today.header("Cache-Control") == "no-store")
        #expect(!today.text.contains("<script") && !today.text.contains("style="))
        // What the role may not see is 403 and not linked.
        #expect(!today.text.contains("data-nav=\"figures\"") && !today.text.contains("data-nav=\"integrity\""))
        #expect(try await browser.send(.GET, "/figures").status == 403)
        #expect(try await browser.send(.GET, "/integrity").status == 403)
        // The language switch keeps the page.
        let english = try await browser.send(.GET, "/lang/en?back=%2Ftoday")
        #expect(english.status == 303 && english.header("Location") == "/today")
        #expect(try await browser.send(.GET, "/today").text.contains("data-lang=\"en\""))
        #expect(try await browser.send(.GET, "/lang/en?back=%2F%2Fevil.example").header("Location") == "/")
        // A page that is not there: an error page for a browser, JSON under /v1.
        let missing = try await Client.send(.GET, served.url + "/no-such-page", headers: [("Accept", "text/html,application/xhtml+xml")])
        #expect(missing.status == 404 && missing.text.contains("data-page=\"error\"") && missing.header("Content-Security-Policy") == Self.csp)
        let missingAPI = try await Client.send(.GET, served.url + "/v1/no-such-route", headers: [("Accept", "text/html")])
        #expect(missingAPI.status == 404 && missingAPI.json?["error"] as? String == "not_found")
        // Sign out needs the form token too; then the session is gone.
        let page = try await browser.send(.GET, "/today")
        let csrf = try #require(Self.hidden("csrf", in: page.text))
        #expect(try await browser.send(.POST, "/logout", form: []).status == 403)
        #expect(try await browser.send(.POST, "/logout", form: [("csrf", csrf)]).status == 303)
        #expect(try await browser.send(.GET, "/today").status == 303)
    }

    @Test("forms: CSRF refused, another town refused, a double submission appends once, a refusal shows beside its field")
    func formsAndScope() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let browser = Browser(served.url)
        try await browser.signIn(served.token("recorder"))
        func version(_ participant: String) async throws -> Int {
            let answer = try await Client.send(.GET, "\(served.url)/v1/participants/\(participant)", token: served.token("auditor"))
            return try #require(answer.json?["version"] as? Int)
        }
        let own = ServedLedger.ownParticipant
        let page = try await browser.send(.GET, "/participants/\(own)")
        #expect(page.status == 200 && page.text.contains("data-form=\"record-check_in\""))
        let csrf = try #require(Self.hidden("csrf", in: page.text))
        let eventID = try #require(Self.hidden("event_id", in: page.text, after: "data-form=\"record-check_in\""))
        let before = try await version(own)
        // No form token: 403, nothing appended.
        let forged = try await browser.send(.POST, "/participants/\(own)/events", form: [("type", "check_in"), ("event_id", eventID)])
        #expect(forged.status == 403 && forged.text.contains("data-page=\"error\""))
        #expect(try await version(own) == before)
        // The same form twice (a double click): one event, both answers point at it.
        let form = [("csrf", csrf), ("type", "check_in"), ("event_id", eventID), ("channel", "in_person")]
        let first = try await browser.send(.POST, "/participants/\(own)/events", form: form)
        try await Task.sleep(for: .milliseconds(20))
        let second = try await browser.send(.POST, "/participants/\(own)/events", form: form)
        #expect(first.status == 303 && second.status == 303)
        #expect(first.header("Location") == second.header("Location"))
        #expect(first.header("Location")?.contains("?recorded=") == true)
        #expect(try await version(own) == before + 1)
        // A refused value: 422, the Chinese message beside the field, nothing appended.
        let refused = try await browser.send(.POST, "/participants/\(own)/events",
                                             form: [("csrf", csrf), ("type", "points_adjusted"), ("event_id", "web-refused-1"), ("delta", "0"), ("reason", "x")])
        #expect(refused.status == 422)
        #expect(refused.text.contains("class=\"field-error\" id=\"f-points_adjusted-delta-error\" data-field=\"delta\" data-code=\"data.out_of_range\">数值超出允许范围"))
        let words = try await browser.send(.POST, "/participants/\(own)/events",
                                           form: [("csrf", csrf), ("type", "aid_paid"), ("event_id", "web-refused-2"), ("kind", "temporary"), ("amount_yuan", "12.345")])
        #expect(words.status == 422 && words.text.contains("data-field=\"amount_yuan\" data-code=\"data.type\""))
        #expect(try await version(own) == before + 1)
        // Money in yuan is stored in fen.
        let aid = try await browser.send(.POST, "/participants/\(own)/events",
                                         form: [("csrf", csrf), ("type", "aid_paid"), ("event_id", "web-aid-1"), ("kind", "temporary"), ("amount_yuan", "1,200.50")])
        #expect(aid.status == 303)
        let events = try await Client.send(.GET, "\(served.url)/v1/participants/\(own)/events", token: served.token("auditor"))
        #expect(events.text.contains("\"amount_fen\":120050") && events.text.contains("\"actor\":\"test-recorder\""))
        // Another town's participant, typed into the address bar, and a post to them: 403.
        let other = try await browser.send(.GET, "/participants/\(ServedLedger.otherParticipant)")
        #expect(other.status == 403 && other.text.contains("data-page=\"error\""))
        let otherPost = try await browser.send(.POST, "/participants/\(ServedLedger.otherParticipant)/events",
                                               form: [("csrf", csrf), ("type", "check_in"), ("event_id", "web-other-1")])
        #expect(otherPost.status == 403)
        // The reads are in the access log, under the page's route.
        let log = try await Client.send(.GET, "\(served.url)/v1/access-log?actor=test-recorder&limit=1000", token: served.token("auditor"))
        #expect(log.text.contains("\"route\":\"GET /participants/{id}\""))
        // A revoked identity's session ends with the next request.
        _ = try served.store.run(["access", "revoke", "test-recorder"])
        let after = try await browser.send(.GET, "/today")
        #expect(after.status == 303 && after.header("Location")?.hasPrefix("/login") == true)
    }

    @Test("rules: a version taking effect in the past needs a reason and an explicit confirmation")
    func rulesAdoption() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let browser = Browser(served.url)
        try await browser.signIn(served.token("city_office"))
        let page = try await browser.send(.GET, "/rules")
        #expect(page.status == 200 && page.text.contains("id=\"versions\"") && page.text.contains("data-form=\"rules-preview\""))
        let csrf = try #require(Self.hidden("csrf", in: page.text))
        let document = """
        [[version]]
        name = "2026-web"
        effective_from = 2026-01-01
        check_in = 5
        check_in_monthly_cap = 4
        test_negative = 3
        test_positive = -10
        test_refused = -5
        training_attended = 2
        education_completed = 2
        job_placed = 5
        check_in_interval_days = 30
        """
        let preview = try await browser.send(.POST, "/rules/preview", form: [("csrf", csrf), ("document", document)])
        #expect(preview.status == 200 && preview.text.contains("id=\"diff\"") && preview.text.contains("name=\"confirm_past\""))
        let unconfirmed = try await browser.send(.POST, "/rules/adopt", form: [("csrf", csrf), ("document", document), ("reason", "web test")])
        #expect(unconfirmed.status == 422 && unconfirmed.text.contains("data-field=\"confirm_past\""))
        let unexplained = try await browser.send(.POST, "/rules/adopt", form: [("csrf", csrf), ("document", document), ("confirm_past", "yes")])
        #expect(unexplained.status == 422 && unexplained.text.contains("data-field=\"reason\""))
        let rules = try await Client.send(.GET, "\(served.url)/v1/rules", token: served.token("auditor"))
        #expect(!rules.text.contains("2026-web"))
        let adopted = try await browser.send(.POST, "/rules/adopt", form: [("csrf", csrf), ("document", document), ("reason", "web test"), ("confirm_past", "yes")])
        #expect(adopted.status == 303 && adopted.header("Location")?.hasPrefix("/rules?adopted=") == true)
        #expect(try await Client.send(.GET, "\(served.url)/v1/rules", token: served.token("auditor")).text.contains("2026-web"))
        // A recorder sees the rules but no preview or adoption.
        let recorder = Browser(served.url)
        try await recorder.signIn(served.token("recorder"))
        let shown = try await recorder.send(.GET, "/rules")
        #expect(shown.status == 200 && shown.text.contains("2026-web") && !shown.text.contains("data-form=\"rules-preview\""))
        let recorderCSRF = try #require(Self.hidden("csrf", in: shown.text))
        #expect(try await recorder.send(.POST, "/rules/adopt", form: [("csrf", recorderCSRF), ("document", document), ("reason", "x")]).status == 403)
    }
}
