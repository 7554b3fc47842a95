import Foundation
import HTTPTypes
import Hummingbird
import LedgerDocuments
import Logging
import Metrics

/// The outermost middleware: turns every error into the JSON answer of docs/server.md, writes
/// the request's one log line (route pattern, status, actor, duration, bytes — never a
/// participant id, event data or a token) and counts it for /metrics.
struct RequestLog: RouterMiddleware {
    typealias Context = LedgerContext
    let logger: Logger

    func handle(_ request: Request, context: LedgerContext, next: (Request, LedgerContext) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            var answer = APIError.from(error)
            if answer.status == .notFound, context.caller.route == nil, let allowed = Route.methods(forPath: request.uri.path) {
                answer = APIError(.methodNotAllowed, "method_not_allowed", "\(request.uri.path) takes \(allowed.joined(separator: ", "))",
                                  headers: [.allow: allowed.joined(separator: ", ")])
            }
            if answer.status.code >= 500 {
                logger.error("request failed", metadata: ["route": "\(context.caller.route ?? "unmatched")", "error": "\(error)"])
            }
            // A browser that asked for a page that is not there gets a page, not JSON.
            let path = request.uri.path
            if context.caller.route == nil, !path.hasPrefix("/v1/"), request.headers[.accept]?.contains("text/html") == true {
                response = Web.bareError(Web.language(request), status: Int(answer.status.code),
                                         Label("没有这个页面。", "There is no such page."), request)
            } else {
                response = answer.response
            }
        }
        let nanoseconds = DispatchTime.now().uptimeNanoseconds - started
        let route = context.caller.route ?? "unmatched"
        logger.info("request", metadata: [
            "route": "\(route)", "status": .stringConvertible(response.status.code), "actor": "\(context.caller.actor ?? "-")",
            "duration_ms": .stringConvertible((Double(nanoseconds) / 1e3).rounded() / 1e3), "bytes": .stringConvertible(response.body.contentLength ?? 0),
        ])
        Counter(label: "recovery_http_requests_total", dimensions: [("route", route), ("status", String(response.status.code))]).increment()
        Timer(label: "recovery_http_request_duration_seconds", dimensions: [("route", route)]).recordNanoseconds(Int64(nanoseconds))
        return response
    }
}
