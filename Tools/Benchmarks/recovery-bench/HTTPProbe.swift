import Foundation
@preconcurrency import Glibc

/// One HTTP/1.1 request to the server under test, on its own connection (`Connection: close`),
/// answered in full: the checks before a load (one append, one read) and the `/metrics`
/// scrapes between loads. Blocking and minimal on purpose; wrk makes the load.
enum HTTPProbe {
    struct Answer {
        let status: Int
        let body: String
    }

    static func request(port: Int, method: String, path: String, headers: [(String, String)] = [], body: String = "") throws -> Answer {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw failure("socket") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw failure("connect to 127.0.0.1:\(port)") }

        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw failure("send") }
            sent += written
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw failure("recv") }
            received.append(contentsOf: buffer[..<count])
        }
        let answer = String(decoding: received, as: UTF8.self)
        guard let headerEnd = answer.range(of: "\r\n\r\n"),
              let status = answer.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap({ Int($0) }) else {
            throw ChildProcess.Failure(description: "\(method) \(path): not an HTTP answer: \(answer.prefix(200))")
        }
        let head = answer[..<headerEnd.lowerBound].lowercased()
        var payload = String(answer[headerEnd.upperBound...])
        if head.contains("transfer-encoding: chunked") { payload = dechunked(payload) }
        return Answer(status: status, body: payload)
    }

    /// A chunked body's data.
    private static func dechunked(_ text: String) -> String {
        var bytes = Substring(text)
        var result = ""
        while let lineEnd = bytes.range(of: "\r\n"), let size = Int(bytes[..<lineEnd.lowerBound].split(separator: ";").first ?? "", radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let utf8 = bytes.utf8
            let end = utf8.index(start, offsetBy: size, limitedBy: utf8.endIndex) ?? utf8.endIndex
            result += bytes[start ..< end]
            bytes = bytes[end...].dropFirst(2)
        }
        return result
    }

    private static func failure(_ what: String) -> ChildProcess.Failure {
        ChildProcess.Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}
