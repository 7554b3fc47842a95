import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import LedgerDocuments
import LedgerWeb
import Rehabilitation
import Synchronization

/// The web pages' handlers (docs/web.md). Each page runs behind `gate`: 503 while draining, a
/// redirect to sign-in without a live session, 403 where the page's API route refuses the role,
/// and for a POST, 403 without the session's form token. Then it reads through the same ledger
/// calls as the API, narrowed to the identity's towns, and writes the access log before it
/// answers with participants' data.
struct Web: Sendable {
    let ledger: Ledger
    let queue: WriteQueue
    let authenticator: Authenticator
    let limiter: AttemptLimiter
    let draining: DrainFlag
    let sessions: SessionStore
    let verifications: VerificationMemo
    let figuresCache: FiguresCache
    /// The ledger's signing key (for the statement's receipt); nil when the store has none.
    let signer: SignedNote.SignerKey?
    /// Whether cookies get `Secure` (the server runs with TLS).
    let secureCookies: Bool

    static let sessionCookie = "rl_session"
    static let loginCookie = "rl_login"
    static let languageCookie = "rl_lang"

    func register(on router: Router<LedgerContext>) {
        router.get("/assets/app.css") { _, context -> Response in
            context.caller.route = "GET /assets/app.css"
            return .raw(.ok, Array(Style.css.utf8), contentType: "text/css; charset=utf-8",
                        headers: [.cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"])
        }
        router.get("/") { request, context in try await entry(request, context) }
        router.get("/login") { request, context in try await signInPage(request, context) }
        router.post("/login") { request, context in try await signIn(request, context) }
        router.post("/logout") { request, context in try await signOut(request, context) }
        router.get("/lang/:language") { request, context in try switchLanguage(request, context) }
        for route in WebRoute.allCases {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in
                try await gate(route, request, context)
            }
        }
    }

    // MARK: The gate

    /// The signed-in caller of a page.
    struct Visit {
        let identity: Identity
        let session: SessionStore.Session
        let reach: Route.Reach
        let route: WebRoute
        let request: Request
        let context: LedgerContext
        let viewer: Viewer
        let form: FormBody?

        func query(_ name: String) -> String? {
            guard let value = request.uri.queryParameters[Substring(name)].map(String.init), !value.isEmpty else { return nil }
            return value
        }

        var towns: Set<String>? { reach == .ownTowns ? Set(identity.towns) : nil }

        func requireReach(town: String?, what: String) throws {
            guard reach == .ownTowns else { return }
            guard let town, identity.towns.contains(town) else {
                throw WebError(403, Label("\(what) 不在您负责的镇街（\(identity.towns.joined(separator: "、"))）。",
                                          "\(what) is not in one of your towns (\(identity.towns.joined(separator: ", ")))."))
            }
        }
    }

    /// An answer other than the page: a status and a message for the error page.
    struct WebError: Error {
        let status: Int
        let message: Label
        init(_ status: Int, _ message: Label) {
            self.status = status
            self.message = message
        }
    }

    private func gate(_ route: WebRoute, _ request: Request, _ context: LedgerContext) async throws -> Response {
        context.caller.route = route.name
        let language = Self.language(request)
        if draining.isSet {
            return Self.bareError(language, status: 503, Label("服务正在停止，请稍后重试。", "The server is shutting down; retry in a moment."), request)
        }
        guard let (sessionID, session, identity) = try signedIn(request) else {
            if route.method == .get {
                return Self.redirect(Query.link("/login", [("back", Self.pathAndQuery(request))]))
            }
            return Self.bareError(language, status: 403, Label("会话已过期，请重新登录。", "Your session has ended; sign in again."), request)
        }
        _ = sessionID
        context.caller.actor = identity.name
        let viewer = self.viewer(identity, session: session, language: language, request: request)
        let reach = route.reach(of: identity.role)
        guard reach != .none else {
            return Self.html(403, PageShell.error(viewer, status: 403, message: viewer("您的角色不能使用此页面。", "Your role may not use this page.")))
        }
        var form: FormBody?
        if route.method == .post {
            do { form = try await FormBody.read(request) } catch {
                return Self.html(400, PageShell.error(viewer, status: 400, message: viewer("表单内容有误或过大。", "The form is malformed or too large.")))
            }
            guard let token = form?["csrf"], AccessToken.constantTimeEqual(Array(token.utf8), Array(session.csrf.utf8)) else {
                return Self.html(403, PageShell.error(viewer, status: 403,
                                                      message: viewer("表单已失效（缺少或错误的表单令牌），未做任何更改。请返回页面重新提交。",
                                                                      "The form is not valid (its form token is missing or wrong); nothing was changed. Go back and submit it again.")))
            }
        }
        let visit = Visit(identity: identity, session: session, reach: reach, route: route, request: request, context: context, viewer: viewer, form: form)
        do {
            switch route {
            case .today: return try await today(visit, csv: false)
            case .todayCSV: return try await today(visit, csv: true)
            case .findParticipant:
                guard let id = visit.query("id")?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { return Self.redirect("/today") }
                return Self.redirect("/participants/" + Query.encode(id))
            case .participant: return try await participant(visit)
            case .record: return try await record(visit)
            case .statement: return try await statement(visit)
            case .receipt: return try await receipt(visit)
            case .figures: return try figures(visit, csv: false)
            case .figuresCSV: return try figures(visit, csv: true)
            case .rules: return try rules(visit, preview: nil, adopted: visit.query("adopted").flatMap(UInt64.init))
            case .rulesPreview: return try await rulesPreview(visit)
            case .rulesAdopt: return try await rulesAdopt(visit)
            case .integrity: return try integrity(visit)
            case .verify: return try verify(visit)
            }
        } catch let error as WebError {
            return Self.html(error.status, PageShell.error(viewer, status: error.status, message: viewer(error.message)))
        } catch is ServerBusy {
            return Self.html(503, PageShell.error(viewer, status: 503, message: viewer("系统繁忙，请稍后重试。", "The ledger is busy; retry in a moment.")))
        } catch is ServerStopping {
            return Self.html(503, PageShell.error(viewer, status: 503, message: viewer("服务正在停止，请稍后重试。", "The server is shutting down; retry in a moment.")))
        }
    }

    /// The session of the request's cookie, with its identity as the register now holds it;
    /// nil (and the session ended) when the identity was revoked or granted anew.
    private func signedIn(_ request: Request) throws -> (String, SessionStore.Session, Identity)? {
        guard let id = Self.cookie(request, Self.sessionCookie), let session = sessions.session(id) else { return nil }
        guard let identity = try authenticator.register().identities[session.identity],
              AccessToken.constantTimeEqual(identity.tokenDigest, session.tokenDigest) else {
            sessions.close(id)
            return nil
        }
        return (id, session, identity)
    }

    private func viewer(_ identity: Identity, session: SessionStore.Session, language: Language, request: Request) -> Viewer {
        Viewer(identity: identity.name, role: identity.role, towns: identity.role.isTownScoped ? identity.towns : [], language: language,
               csrf: session.csrf, navigation: WebRoute.navigation(for: identity.role),
               seesParticipants: WebRoute.participant.reach(of: identity.role) != .none, path: Self.pathAndQuery(request), city: ledger.city)
    }

    private func recordAccess(_ visit: Visit, participants: [String], towns: [String]) async throws {
        try await queue.record(AccessRecord(at: EventLog.systemClock(), actor: visit.identity.name, route: visit.route.name,
                                            participants: participants, towns: towns))
    }

    // MARK: Signing in and out

    private func entry(_ request: Request, _ context: LedgerContext) async throws -> Response {
        context.caller.route = "GET /"
        guard let (_, session, identity) = try signedIn(request) else { return Self.redirect("/login") }
        context.caller.actor = identity.name
        if let first = WebRoute.navigation(for: identity.role).first { return Self.redirect(first.path) }
        return Self.html(200, LoginPage.home(viewer(identity, session: session, language: Self.language(request), request: request)))
    }

    private func signInPage(_ request: Request, _ context: LedgerContext) async throws -> Response {
        context.caller.route = "GET /login"
        if try signedIn(request) != nil { return Self.redirect(Self.safeBack(request.uri.queryParameters["back"].map(String.init)) ?? "/") }
        return loginForm(request, problem: nil, status: 200)
    }

    private func loginForm(_ request: Request, problem: Label?, status: Int) -> Response {
        let token = AccessToken.randomText()
        var response = Self.html(status, LoginPage.render(language: Self.language(request), loginToken: token, problem: problem,
                                                          back: Self.pathAndQuery(request)))
        response.headers.append(HTTPField(name: .setCookie, value: cookieLine(Self.loginCookie, token, path: "/login", maxAge: 600)))
        return response
    }

    private func signIn(_ request: Request, _ context: LedgerContext) async throws -> Response {
        context.caller.route = "POST /login"
        let language = Self.language(request)
        if draining.isSet { return Self.bareError(language, status: 503, Label("服务正在停止，请稍后重试。", "The server is shutting down."), request) }
        if let seconds = limiter.blockedSeconds(context.clientAddress) {
            var response = loginForm(request, problem: Label("失败次数过多，请 \(seconds) 秒后再试。", "Too many failed attempts; wait \(seconds) s."), status: 429)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        let form: FormBody
        do { form = try await FormBody.read(request) } catch {
            return loginForm(request, problem: Label("表单内容有误。", "The form is malformed."), status: 400)
        }
        guard let expected = Self.cookie(request, Self.loginCookie), let sent = form["csrf"],
              AccessToken.constantTimeEqual(Array(expected.utf8), Array(sent.utf8)) else {
            return loginForm(request, problem: Label("登录表单已失效，请重新输入令牌。", "The sign-in form expired; enter the token again."), status: 403)
        }
        guard let token = form.trimmed("token"), let identity = try authenticator.identity(token: token) else {
            limiter.recordFailure(context.clientAddress)
            return loginForm(request, problem: Label("令牌无效或已被撤销。", "The token is not valid, or was revoked."), status: 401)
        }
        context.caller.actor = identity.name
        let opened = sessions.open(identity: identity)
        let back = Self.safeBack(request.uri.queryParameters["back"].map(String.init))
            ?? WebRoute.navigation(for: identity.role).first?.path ?? "/"
        var response = Self.redirect(back)
        response.headers.append(HTTPField(name: .setCookie, value: cookieLine(Self.sessionCookie, opened.id, path: "/", maxAge: nil)))
        response.headers.append(HTTPField(name: .setCookie, value: cookieLine(Self.loginCookie, "", path: "/login", maxAge: 0)))
        return response
    }

    private func signOut(_ request: Request, _ context: LedgerContext) async throws -> Response {
        context.caller.route = "POST /logout"
        if let (id, session, identity) = try signedIn(request) {
            context.caller.actor = identity.name
            let form = try? await FormBody.read(request)
            guard let token = form?["csrf"], AccessToken.constantTimeEqual(Array(token.utf8), Array(session.csrf.utf8)) else {
                return Self.bareError(Self.language(request), status: 403, Label("表单令牌错误，未退出。", "The form token is wrong; still signed in."), request)
            }
            sessions.close(id)
        }
        var response = Self.redirect("/login")
        response.headers.append(HTTPField(name: .setCookie, value: cookieLine(Self.sessionCookie, "", path: "/", maxAge: 0)))
        return response
    }

    private func switchLanguage(_ request: Request, _ context: LedgerContext) throws -> Response {
        context.caller.route = "GET /lang/{language}"
        guard let language = context.parameters.get("language").flatMap(Language.init(rawValue:)) else {
            return Self.bareError(.zh, status: 404, Label("没有这种语言。", "No such language."), request)
        }
        var response = Self.redirect(Self.safeBack(request.uri.queryParameters["back"].map(String.init)) ?? "/")
        response.headers.append(HTTPField(name: .setCookie, value: cookieLine(Self.languageCookie, language.rawValue, path: "/", maxAge: 365 * 86400)))
        return response
    }

    /// A cookie no script can read and no other site can send.
    private func cookieLine(_ name: String, _ value: String, path: String, maxAge: Int?) -> String {
        var line = "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Strict"
        if let maxAge { line += "; Max-Age=\(maxAge)" }
        if secureCookies { line += "; Secure" }
        return line
    }

    // MARK: Today

    private func today(_ visit: Visit, csv: Bool) async throws -> Response {
        let viewer = visit.viewer
        let today = CityZone.localDate(ofUTC: EventLog.systemClock())
        var day = today
        if let text = visit.query("as_of") {
            guard let parsed = CivilDate(text) else { throw WebError(400, Label("日期格式应为 YYYY-MM-DD。", "The date must be YYYY-MM-DD.")) }
            day = parsed
        }
        let town = try self.town(visit)
        let sort = visit.query("sort").flatMap(TodayPage.Sort.init(rawValue:)) ?? .participant
        var alerts = try ledger.alerts(on: day, town: town)
        if let towns = visit.towns { alerts.removeAll { !towns.contains($0.town) } }
        var contacts: [String: CivilDate?] = [:]
        var rows: [TodayPage.Row] = []
        rows.reserveCapacity(alerts.count)
        for alert in alerts {
            let contact: CivilDate?
            if alert.kind == .contact {
                contact = alert.since
            } else if let known = contacts[alert.participant] {
                contact = known
            } else {
                contact = try ledger.lastContact(of: alert.participant, onOrBefore: day)
                contacts[alert.participant] = contact
            }
            rows.append(TodayPage.Row(alert: alert, lastContact: contact))
        }
        let scopeTowns = ledger.city.towns.filter { visit.towns?.contains($0.id) ?? true }
        let shownTowns = town.map { id in scopeTowns.filter { $0.id == id } } ?? scopeTowns
        let groups = TodayPage.grouped(rows, towns: shownTowns, sort: sort)
        var seen = Set<String>()
        try await recordAccess(visit, participants: alerts.map(\.participant).filter { seen.insert($0).inserted }, towns: shownTowns.map(\.id))
        if csv {
            let bytes = try TodayPage.csv(groups, city: ledger.city, viewer.language)
            return Self.download(bytes, filename: "worklist-\(day).csv")
        }
        return Self.html(200, TodayPage.render(viewer, day: day, today: today, town: town, sort: sort, groups: groups, scopeTowns: scopeTowns))
    }

    /// The `town` query parameter, checked against the city and the caller's reach.
    private func town(_ visit: Visit) throws -> String? {
        guard let town = visit.query("town") else { return nil }
        guard ledger.city.town(town) != nil else {
            throw WebError(400, Label("没有这个镇街。", "No such town."))
        }
        try visit.requireReach(town: town, what: Vocabulary.town(town, city: ledger.city, .zh))
        return town
    }

    // MARK: Participants

    private func participantID(_ visit: Visit) throws -> String {
        guard let id = visit.context.parameters.get("id"), EventInputParser.isValidParticipant(id) else {
            throw WebError(400, Label("人员编号为 1–32 个字母、数字或连字符。", "A participant id is 1–32 characters of A-Z a-z 0-9 -."))
        }
        return id
    }

    private func facts(_ visit: Visit) throws -> ParticipantPage.Facts {
        let id = try participantID(visit)
        guard let snapshot = try ledger.snapshot(of: id) else { throw WebError(404, Label("没有人员 \(id)。", "No participant \(id).")) }
        try visit.requireReach(town: snapshot.state.currentTown, what: "人员 \(id)")
        guard let audit = try ledger.audit(id) else { throw WebError(404, Label("没有人员 \(id)。", "No participant \(id).")) }
        return ParticipantPage.Facts(id: id, state: snapshot.state, version: snapshot.version, audit: audit)
    }

    private func participant(_ visit: Visit) async throws -> Response {
        let facts = try facts(visit)
        try await recordAccess(visit, participants: [facts.id], towns: [])
        return Self.html(200, ParticipantPage.render(visit.viewer, facts, canRecord: WebRoute.record.reach(of: visit.identity.role) != .none,
                                                     recordedSeq: visit.query("recorded").flatMap(UInt64.init), refused: nil,
                                                     freshID: Self.freshEventID))
    }

    private func statement(_ visit: Visit) async throws -> Response {
        let facts = try facts(visit)
        try await recordAccess(visit, participants: [facts.id], towns: [])
        // The receipt's checkpoint, when the ledger can sign one: its size and short root are
        // printed, the receipt itself is a download (docs/proofs.md §4.1).
        let checkpoint = try signer.map { key in
            let tree = try ledger.log.treeRoot()
            return ParticipantPage.ReceiptNote(size: tree.size, root: ChainHash.hex(tree.root), key: key.verifier.text,
                                               href: "/participants/\(Query.encode(facts.id))/receipt.json")
        }
        return Self.html(200, ParticipantPage.statement(visit.viewer, facts, printedAt: EventLog.systemClock(),
                                                        headSeq: facts.audit.headSeq, headHash: facts.audit.headHash, receipt: checkpoint))
    }

    /// The participant's receipt (the API's `GET /v1/participants/{id}/receipt`) as a download.
    private func receipt(_ visit: Visit) async throws -> Response {
        let id = try participantID(visit)
        guard let snapshot = try ledger.snapshot(of: id) else { throw WebError(404, Label("没有人员 \(id)。", "No participant \(id).")) }
        try visit.requireReach(town: snapshot.state.currentTown, what: "人员 \(id)")
        guard let key = signer else {
            throw WebError(503, Label("台账没有签名密钥，无法出具收据。", "The ledger has no signing key, so it cannot sign a receipt."))
        }
        guard let receipt = try ProofDocument.receipt(of: ledger.log, participant: id, key: key) else {
            throw WebError(404, Label("没有人员 \(id) 的事件。", "No events of \(id)."))
        }
        try await recordAccess(visit, participants: [id], towns: [])
        var headers = Self.pageHeaders
        headers[.contentDisposition] = "attachment; filename=\"receipt-\(id).json\""
        return .raw(.ok, Array((receipt.document.text + "\n").utf8), contentType: "application/json", headers: headers)
    }

    /// A fresh event id for a form: a resubmitted form repeats it, and the ledger answers the
    /// repeat as a duplicate instead of appending twice.
    static func freshEventID() -> String { "web-" + AccessToken.randomText(bytes: 16) }

    private func record(_ visit: Visit) async throws -> Response {
        let id = try participantID(visit)
        guard let form = visit.form, let typeName = form["type"], let type = EventType(name: typeName),
              ParticipantPage.formTypes.contains(type) else {
            throw WebError(400, Label("未知的事件类型。", "Unknown event type."))
        }
        // The page itself must be reachable (a clear 403 before any refusal is shown).
        guard let snapshot = try ledger.snapshot(of: id) else { throw WebError(404, Label("没有人员 \(id)。", "No participant \(id).")) }
        if type != .enrolled { try visit.requireReach(town: snapshot.state.currentTown, what: "人员 \(id)") }
        var values = form.fields
        values.removeValue(forKey: "csrf")
        switch Self.eventObject(form, type: type, participant: id, identity: visit.identity) {
        case .failure(let error):
            return try await refusedForm(visit, id: id, type: type, values: values, errors: [error])
        case .success(let object):
            let prepared: PreparedEvent
            switch API.prepare(object, identity: visit.identity, ledger: ledger) {
            case .failure(let error): return try await refusedForm(visit, id: id, type: type, values: values, errors: [error])
            case .success(let (event, _)): prepared = event
            }
            let outcome: GroupOutcome
            do {
                outcome = try await queue.submit(GroupRequest(events: [prepared], expectedVersions: [nil], towns: visit.towns))
            } catch LogError.rejected(let errors, _) {
                return try await refusedForm(visit, id: id, type: type, values: values, errors: errors)
            }
            switch outcome {
            case .refused(let errors, _): return try await refusedForm(visit, id: id, type: type, values: values, errors: errors)
            case .forbidden(_, let reason): throw WebError(403, Label(reason, reason))
            case .appended(let results):
                let seq: UInt64 = switch results.first {
                case .appended(let seq)?, .duplicate(let seq)?: seq
                case nil: 0
                }
                return Self.redirect("/participants/\(Query.encode(id))?recorded=\(seq)#recorded")
            }
        }
    }

    /// The form's fields as the event object the API takes: text as typed (trimmed), numbers
    /// parsed, money typed in 元 turned into fen, a local time into an instant.
    static func eventObject(_ form: FormBody, type: EventType, participant: String, identity: Identity) -> Result<[String: JSONValue], InputError> {
        var data: [String: JSONValue] = [:]
        for field in type.definition.fields {
            let name = field.name == ParticipantPage.fenField ? ParticipantPage.yuanField : field.name
            let path = "data.\(field.name)"
            switch field.kind {
            case .flag:
                data[field.name] = .bool(form[name] == "true")
            case .integer:
                guard let text = form.trimmed(name) else { continue }
                if name == ParticipantPage.yuanField {
                    guard let fen = EntryValues.fen(yuan: text) else {
                        return .failure(InputError(field: path, code: .dataType, reason: "an amount in yuan with at most two decimals, e.g. 1200.00"))
                    }
                    data[field.name] = .integer(fen)
                } else {
                    guard let number = Int64(text.replacingOccurrences(of: ",", with: "")) else {
                        return .failure(InputError(field: path, code: .dataType, reason: "a whole number"))
                    }
                    data[field.name] = .integer(number)
                }
            case .choice, .town, .text:
                guard let text = form.trimmed(name) else { continue }
                data[field.name] = .string(text)
            }
        }
        let at: String
        if let local = form.trimmed(ParticipantPage.atField) {
            // `datetime-local` sends YYYY-MM-DDTHH:MM[:SS], the city's wall clock.
            guard let instant = EntryValues.instant(local: local) else {
                return .failure(InputError(field: "at", code: .atInvalid, reason: "a local date and time, YYYY-MM-DDTHH:MM"))
            }
            at = instant
        } else {
            at = Timestamp.utcString(EventLog.systemClock())
        }
        var object: [String: JSONValue] = [
            "type": .string(type.name), "participant": .string(participant), "at": .string(at), "actor": .string(identity.name),
            "data": .object(data),
        ]
        if let eventID = form.trimmed("event_id") { object["id"] = .string(eventID) }
        return .success(object)
    }

    /// The participant page again, 422, with the form's values and its refusals beside their
    /// fields. Nothing was appended.
    private func refusedForm(_ visit: Visit, id: String, type: EventType, values: [String: String], errors: [InputError]) async throws -> Response {
        // The form's event id is already in the ledger for this participant and type: the
        // form was sent twice (a double click, a resubmission after "back"), and its first
        // sending was recorded. That is the answer, not a conflict.
        if errors.contains(where: { $0.code == .idConflict }), let eventID = values["event_id"],
           let earlier = try ledger.event(id: eventID), earlier.stream == id, earlier.type == type.name, earlier.actor == visit.identity.name {
            return Self.redirect("/participants/\(Query.encode(id))?recorded=\(earlier.seq)#recorded")
        }
        var byField: [String: InputError] = [:]
        for error in errors {
            var field = error.field ?? ""
            if field.hasPrefix("data.") { field.removeFirst(5) }
            if field == ParticipantPage.fenField { field = ParticipantPage.yuanField }
            let known = field == ParticipantPage.atField || type.definition.fields.contains { $0.name == field || (field == ParticipantPage.yuanField && $0.name == ParticipantPage.fenField) }
            byField[known ? field : ""] = byField[known ? field : ""] ?? error
        }
        let facts = try facts(visit)
        try await recordAccess(visit, participants: [facts.id], towns: [])
        return Self.html(422, ParticipantPage.render(visit.viewer, facts, canRecord: true, recordedSeq: nil,
                                                     refused: ParticipantPage.Refused(type: type, values: values, errors: byField),
                                                     freshID: Self.freshEventID))
    }

    // MARK: Figures

    private func figures(_ visit: Visit, csv: Bool) throws -> Response {
        let viewer = visit.viewer
        var year: Int?
        if let text = visit.query("year") {
            guard let number = Int(text), (2 ... 9998).contains(number) else { throw WebError(400, Label("年度不正确。", "The year is not valid.")) }
            year = number
        }
        var cut = LedgerCut.everything
        let knownAt = visit.query("known_at")
        if let knownAt {
            if let date = CivilDate(knownAt), knownAt.count == 10 {
                cut = .recordedBy(CityZone.endOfDay(date))
            } else if let instant = try? Timestamp.parse(knownAt).get() {
                cut = .recordedBy(instant)
            } else {
                throw WebError(400, Label("“截至记录时间”应为日期或 RFC 3339 时间。", "“As known at” must be a date or an RFC 3339 time."))
            }
        }
        var town = try self.town(visit)
        let towns = ledger.city.towns.filter { visit.towns?.contains($0.id) ?? true }
        if visit.reach == .ownTowns, town == nil { town = towns.first?.id }
        // Without a year: the last year the ledger has activity in (or this year).
        let selected = try year ?? figuresCache.years(ledger)?.upperBound ?? CityZone.localDate(ofUTC: EventLog.systemClock()).year
        let trend = try figuresCache.trend(ledger, through: selected, cut: cut)
        guard let report = trend.reports.last, report.year == selected else { throw WebError(500, Label("统计出错。", "The figures failed.")) }
        if csv {
            let bytes = try FiguresPage.csv(report, towns: towns, city: ledger.city, includeCity: visit.reach == .all, viewer.language)
            return Self.download(bytes, filename: "figures-\(selected).csv")
        }
        let points = trend.reports.map { report -> (year: Int, figures: CityFigures) in
            (report.year, town.flatMap { id in report.towns.first { $0.town.id == id }?.figures } ?? report.city)
        }
        let offered = trend.span.map { min($0.lowerBound, selected) ... max($0.upperBound, selected) } ?? (selected ... selected)
        return Self.html(200, FiguresPage.render(viewer, FiguresPage.Request(year: selected, years: offered, town: town, knownAt: knownAt),
                                                 report: report, towns: towns, canSeeCity: visit.reach == .all, trend: points))
    }

    // MARK: Rules

    private func rules(_ visit: Visit, preview: RulesPage.Preview?, adopted: UInt64?, status: Int = 200) throws -> Response {
        let role = visit.identity.role
        return Self.html(status, RulesPage.render(visit.viewer, current: try ledger.adoptedRules(), history: try ledger.rulesHistory(),
                                                  canPreview: WebRoute.rulesPreview.reach(of: role) != .none,
                                                  canAdopt: WebRoute.rulesAdopt.reach(of: role) != .none, preview: preview, adopted: adopted))
    }

    /// The document of a preview or adoption form: the uploaded file if one was chosen, else
    /// the text area.
    private func submittedDocument(_ form: FormBody?) -> String {
        if let file = form?["file"], !file.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return file }
        return form?["document"] ?? ""
    }

    private func preview(of document: String, adoptErrors: [String: Label] = [:]) throws -> RulesPage.Preview {
        let rules: PointsRules
        do { rules = try PointsRules(submitted: document) } catch {
            return RulesPage.Preview(document: document, diff: nil, problem: "\(error)", repriced: [:], pastVersions: [], adoptErrors: adoptErrors)
        }
        let diff = try ledger.diff(adopting: rules)
        var repriced: [String: [RepricedEvent]] = [:]
        for change in diff.changed.prefix(RulesPage.repricedShown) {
            repriced[change.participant] = try ledger.repricedEvents(of: change.participant, under: rules)
        }
        return RulesPage.Preview(document: document, diff: diff, problem: nil, repriced: repriced,
                                 pastVersions: try pastVersions(of: rules), adoptErrors: adoptErrors)
    }

    /// The versions of `rules` that take effect today or earlier and are not adopted already
    /// exactly as they are: adopting them changes points already earned.
    private func pastVersions(of rules: PointsRules) throws -> [RulesVersion] {
        let today = CityZone.localDate(ofUTC: EventLog.systemClock())
        let current = try ledger.adoptedRules().versions
        return rules.versions.filter { version in version.effectiveFrom <= today && !current.contains(version) }
    }

    private func rulesPreview(_ visit: Visit) async throws -> Response {
        try rules(visit, preview: try preview(of: submittedDocument(visit.form)), adopted: nil)
    }

    private func rulesAdopt(_ visit: Visit) async throws -> Response {
        let document = submittedDocument(visit.form)
        let reason = visit.form?.trimmed("reason")
        let rules: PointsRules
        do { rules = try PointsRules(submitted: document) } catch {
            return try self.rules(visit, preview: try preview(of: document), adopted: nil, status: 422)
        }
        var problems: [String: Label] = [:]
        if reason == nil { problems["reason"] = Label("请说明修改规则的原因。", "Say why the rules change.") }
        if !(try pastVersions(of: rules)).isEmpty, visit.form?["confirm_past"] != "yes" {
            problems["confirm_past"] = Label("新规则从过去的日期生效，请勾选确认。", "These rules take effect in the past: tick the confirmation.")
        }
        guard problems.isEmpty, let reason else {
            return try self.rules(visit, preview: try preview(of: document, adoptErrors: problems), adopted: nil, status: 422)
        }
        let actor = visit.identity.name
        do {
            _ = try await queue.perform { ledger in try ledger.adopt(rules, actor: actor, reason: reason) }
        } catch LogError.rejected(let errors, _) {
            let label = errors.first.map { Vocabulary.refusal($0.code) } ?? Label("规则未通过。", "The rules were not adopted.")
            return try self.rules(visit, preview: try preview(of: document, adoptErrors: [errors.first?.field == "reason" ? "reason" : "": label]),
                                  adopted: nil, status: 422)
        }
        let seq = try ledger.rulesHistory().last?.seq ?? 0
        return Self.redirect("/rules?adopted=\(seq)")
    }

    // MARK: Integrity

    private func integrity(_ visit: Visit) throws -> Response {
        let head = try ledger.log.head()
        var since: Int64?
        var problem: String?
        let sinceText = visit.query("since")
        if let sinceText {
            if let date = CivilDate(sinceText), sinceText.count == 10 {
                since = CityZone.startOfDay(date)
            } else if let instant = try? Timestamp.parse(sinceText).get() {
                since = instant
            } else {
                problem = visit.viewer("起始日期应为 YYYY-MM-DD。", "“Since” must be a date YYYY-MM-DD.")
            }
        }
        let from = visit.query("from").flatMap(UInt64.init) ?? 1
        let page = try ledger.accessRecords(from: max(from, 1), limit: 100, actor: visit.query("actor"), participant: visit.query("participant"), since: since)
        return Self.html(200, IntegrityPage.render(visit.viewer, headSeq: head.seq, headHash: ChainHash.hex(head.hash),
                                                   headRecordedAt: head.seq == 0 ? nil : head.recordedAt, verification: verifications.latest,
                                                   canVerify: WebRoute.verify.reach(of: visit.identity.role) != .none,
                                                   filter: IntegrityPage.Filter(actor: visit.query("actor"), participant: visit.query("participant"),
                                                                                since: sinceText, from: from),
                                                   records: page.records, next: page.next, filterProblem: problem))
    }

    private func verify(_ visit: Visit) throws -> Response {
        let checked = try API.verification(of: ledger)
        verifications.record(IntegrityPage.Verification(report: checked.report, accessRecords: checked.accessRecords,
                                                        at: EventLog.systemClock(), actor: visit.identity.name))
        return Self.redirect("/integrity#verification")
    }

    // MARK: Answers

    /// The security headers of every page (docs/web.md): no script, no inline style, nothing
    /// from another origin, not framed, not cached.
    static let pageHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "no-referrer",
        .cacheControl: "no-store",
    ]

    static func html(_ status: Int, _ page: HTML) -> Response {
        .raw(HTTPResponse.Status(code: status), page.bytes, contentType: "text/html; charset=utf-8", headers: pageHeaders)
    }

    static func bareError(_ language: Language, status: Int, _ message: Label, _ request: Request) -> Response {
        html(status, PageShell.bare(language: language, name: "error", title: PageShell.errorTitle(status)[language], back: pathAndQuery(request)) { html in
            html.element("p", [("class", "error-message"), ("data-status", String(status))], message[language])
            html.element("p") { html in html.element("a", [("href", "/login")], Label("登录", "Sign in")[language]) }
        })
    }

    static func redirect(_ location: String) -> Response {
        var headers = pageHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    static func download(_ bytes: [UInt8], filename: String) -> Response {
        var headers = pageHeaders
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return .raw(.ok, bytes, contentType: "text/csv; charset=utf-8", headers: headers)
    }

    /// The reader's language: the cookie's, else Chinese.
    static func language(_ request: Request) -> Language {
        cookie(request, languageCookie).flatMap(Language.init(rawValue:)) ?? .zh
    }

    static func cookie(_ request: Request, _ name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    let value = parts[1].trimmingCharacters(in: .whitespaces)
                    return value.count <= 128 ? value : nil
                }
            }
        }
        return nil
    }

    static func pathAndQuery(_ request: Request) -> String {
        let path = request.uri.path
        guard let query = request.uri.query, !query.isEmpty else { return path }
        return path + "?" + query
    }

    /// A path on this server to return to: it starts with one slash (not `//host`, no
    /// backslash, no scheme), so a link cannot send the reader elsewhere.
    static func safeBack(_ back: String?) -> String? {
        guard let back, back.hasPrefix("/"), !back.hasPrefix("//"), !back.contains("\\"), back.utf8.count <= 2048,
              !back.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return nil }
        return back
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!  // a valid field name: cannot fail
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!  // a valid field name: cannot fail
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!  // a valid field name: cannot fail
}

/// Figures for the pages, kept while the head does not move: a figures page asks for every
/// year of its trend, and the same again on the next visit.
final class FiguresCache: Sendable {
    /// A trend: the reports of each year from the ledger's first to the one asked (each as of
    /// its 31 December), and the years the ledger has activity in.
    struct Trend: Sendable {
        let reports: [StatisticsReport]
        let span: ClosedRange<Int>?
    }

    private struct Key: Hashable {
        let year: Int
        let cut: String
    }

    private let state = Mutex<(head: UInt64, trends: [Key: Trend], years: ClosedRange<Int>??)>((0, [:], nil))
    /// Trends kept at most (each a few years of reports, some tens of KiB).
    static let maximumTrends = 64
    /// Years one pass computes before it knows where the ledger begins: a decade covers most
    /// programmes in one pass; an older ledger takes a second pass for its earlier years.
    static let firstPassYears = 10

    private func current(_ ledger: Ledger) throws -> UInt64 {
        let head = try ledger.log.head().seq
        state.withLock { state in
            if state.head != head { state = (head, [:], nil) }
        }
        return head
    }

    func years(_ ledger: Ledger) throws -> ClosedRange<Int>? {
        _ = try current(ledger)
        if let known = state.withLock({ $0.years }) { return known }
        let years = try ledger.eventYears()
        state.withLock { $0.years = .some(years) }
        return years
    }

    func trend(_ ledger: Ledger, through year: Int, cut: LedgerCut) throws -> Trend {
        let head = try current(ledger)
        let key = Key(year: year, cut: "\(cut)")
        if let known = state.withLock({ $0.trends[key] }) { return known }
        func asked(_ years: ClosedRange<Int>) throws -> [(year: Int, asOf: CivilDate)] {
            try years.map { year in
                guard let day = CivilDate(year: year, month: 12, day: 31) else { throw Web.WebError(400, Label("年度不正确。", "The year is not valid.")) }
                return (year, day)
            }
        }
        let window = max(2, year - Self.firstPassYears + 1) ... year
        let first = try ledger.statisticsWithSpan(years: try asked(window), cut: cut)
        var reports = first.reports
        if let start = first.span?.lowerBound {
            // Years before the ledger's first are left out; years before the window, computed.
            let earliest = max(start, year - Chart.maximumCategories + 1)
            if earliest < window.lowerBound {
                reports = try ledger.statistics(years: try asked(earliest ... (window.lowerBound - 1)), cut: cut) + reports
            }
            reports.removeAll { $0.year < earliest && $0.year != year }
        } else {
            reports = Array(reports.suffix(1))
        }
        let trend = Trend(reports: reports, span: first.span)
        state.withLock { state in
            guard state.head == head else { return }
            if state.trends.count >= Self.maximumTrends { state.trends.removeAll() }
            state.trends[key] = trend
            if case .everything = cut, state.years == nil { state.years = .some(first.span) }
        }
        return trend
    }
}
