import EventLog
import HTTPTypes
import Hummingbird
import LedgerDocuments
import NIOCore
import Rehabilitation

/// An answer other than success, with the status and body of docs/server.md:
/// `{"error": CODE, "reason": TEXT}`, or for refused events the refusal document.
struct APIError: Error {
    let status: HTTPResponse.Status
    let body: OrderedJSON
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ code: String, _ reason: String, headers: HTTPFields = [:]) {
        self.status = status
        self.body = .object([("error", .string(code)), ("reason", .string(reason))])
        self.headers = headers
    }

    /// Refused events (422), or conflicting ones (409): the refusal document, positions as
    /// `index` into the request's events.
    init(refusals errors: [InputError], total: Int) {
        let conflict = errors.contains { $0.code == .idConflict || $0.code == .versionConflict }
        status = conflict ? .conflict : .unprocessableContent
        body = RefusalDocument.json(errors: errors, total: total, position: .index, error: conflict ? "conflict" : "rejected")
    }

    static func malformed(_ reason: String) -> APIError { APIError(.badRequest, "malformed_json", reason) }
    static func badRequest(_ reason: String) -> APIError { APIError(.badRequest, "bad_request", reason) }
    static func forbidden(_ reason: String) -> APIError { APIError(.forbidden, "forbidden", reason) }
    static func notFound(_ reason: String) -> APIError { APIError(.notFound, "not_found", reason) }
    static let unauthorized = APIError(.unauthorized, "unauthorized", "send `Authorization: Bearer TOKEN` with a token from `recovery access grant`",
                                       headers: [.wwwAuthenticate: "Bearer"])
    static let shuttingDown = APIError(.serviceUnavailable, "shutting_down", "the server is shutting down; retry against the next instance")
    static func tooLarge(_ reason: String) -> APIError { APIError(.contentTooLarge, "too_large", reason) }

    var response: Response { Response.json(status, body, headers: headers) }

    /// The answer for anything a handler threw: ours as they are, Hummingbird's by status, a
    /// store that cannot serve as 503 (never a client's doing; logged), the rest as 500.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("no such route; see /openapi.yaml")
            case .contentTooLarge: return .tooLarge("the body is larger than \(Limits.bodyBytes) bytes")
            case .methodNotAllowed: return APIError(.methodNotAllowed, "method_not_allowed", "this route does not take that method")
            case .badRequest: return .badRequest(error.body ?? "malformed request")
            default: return APIError(error.status, "http_error", error.body ?? error.status.reasonPhrase)
            }
        case is NIOTooManyBytesError: return .tooLarge("the body is larger than \(Limits.bodyBytes) bytes")
        case is ServerStopping: return .shuttingDown
        case is ServerBusy:
            return APIError(.serviceUnavailable, "busy", "more than \(WriteQueue.queuedEventsLimit) events are waiting to be committed; retry in a second",
                            headers: [.retryAfter: "1"])
        case LogError.rejected(let errors, let total): return APIError(refusals: errors, total: total)
        case let error as TreeError:
            switch error {
            case .noTree: return APIError(.serviceUnavailable, "no_tree", error.description)
            case .sizeBeyondLog, .seqOutsideTree: return .notFound(error.description)
            case .shrinkingTree: return .badRequest(error.description)
            }
        case let error as LogError: return APIError(.serviceUnavailable, "store_unavailable", "\(error)")
        case let error as LedgerError: return APIError(.serviceUnavailable, "store_unavailable", "\(error)")
        default: return APIError(.internalServerError, "internal", "an internal error; the server log has its details")
        }
    }
}

/// The server's limits (docs/server.md).
enum Limits {
    /// The largest request body: a batch of 10,000 events of a few hundred bytes each fits.
    static let bodyBytes = 16 * 1024 * 1024
    /// Events one request may carry.
    static let eventsPerRequest = 10_000
    /// A page of events or access records.
    static let pageDefault = 100
    static let pageMaximum = 1000
    /// Failed authentications from one address within `failureWindowSeconds` before it gets
    /// 429 for `blockSeconds`.
    static let failuresAllowed = 10
    static let failureWindowSeconds: Int64 = 60
    static let blockSeconds: Int64 = 60
    /// Addresses the limiter remembers at most (a flood of addresses cannot exhaust memory).
    static let trackedAddresses = 65_536
}

extension HTTPField.Name {
    /// `Retry-After` (RFC 9110 §10.2.3), with 429 and 503.
    static let retryAfter = HTTPField.Name("Retry-After")!  // a valid field name: cannot fail
}

extension Response {
    static func json(_ status: HTTPResponse.Status, _ body: OrderedJSON, headers: HTTPFields = [:]) -> Response {
        var bytes: [UInt8] = []
        body.write(into: &bytes)
        return raw(status, bytes, contentType: "application/json", headers: headers)
    }

    static func raw(_ status: HTTPResponse.Status, _ bytes: [UInt8], contentType: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
