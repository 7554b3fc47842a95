import Foundation
import Hummingbird

/// The fields of a submitted form: `application/x-www-form-urlencoded`, or
/// `multipart/form-data` (the rules page's file upload). Bounded: a form is small.
struct FormBody: Sendable {
    private(set) var fields: [String: String] = [:]

    /// The largest form body: a rules document is a few KiB; a pasted one with its preview
    /// fits many times over.
    static let maximumBytes = 512 * 1024
    /// Fields a form may hold.
    static let maximumFields = 64

    subscript(_ name: String) -> String? { fields[name] }

    /// A field's text with surrounding white space removed; nil when absent or empty.
    func trimmed(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    enum Failure: Error { case tooLarge, malformed(String) }

    static func read(_ request: Request) async throws -> FormBody {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes { throw Failure.tooLarge }
        let bytes: [UInt8]
        do { bytes = Array(try await request.body.collect(upTo: maximumBytes).readableBytesView) } catch { throw Failure.tooLarge }
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) else {
                throw Failure.malformed("a multipart form without a boundary")
            }
            return try multipart(bytes, boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }
        return try urlEncoded(bytes)
    }

    static func urlEncoded(_ bytes: [UInt8]) throws -> FormBody {
        var form = FormBody()
        for pair in bytes.split(separator: UInt8(ascii: "&")) where !pair.isEmpty {
            guard form.fields.count < maximumFields else { throw Failure.malformed("more than \(maximumFields) fields") }
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { throw Failure.malformed("a field name is not percent-encoded UTF-8") }
            guard let value = decode(parts.count > 1 ? parts[1] : []) else { throw Failure.malformed("\(name) is not percent-encoded UTF-8") }
            form.fields[name] = value
        }
        return form
    }

    /// `+` is a space, `%XX` a byte; the bytes must be UTF-8.
    private static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                      let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else { return nil }
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// RFC 7578: parts separated by `--boundary`, each with headers naming the field.
    static func multipart(_ bytes: [UInt8], boundary: String) throws -> FormBody {
        guard !boundary.isEmpty, boundary.utf8.count <= 70 else { throw Failure.malformed("a boundary of 1–70 characters") }
        let delimiter = Array("--\(boundary)".utf8)
        var form = FormBody()
        var starts: [Int] = []
        var index = 0
        // Every delimiter position (the body is at most `maximumBytes`, so this is bounded).
        while let found = find(delimiter, in: bytes, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { throw Failure.malformed("a multipart body without its parts") }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var partStart = start + delimiter.count
            // The line end after the delimiter.
            if partStart + 1 < bytes.count, bytes[partStart] == 0x0D, bytes[partStart + 1] == 0x0A { partStart += 2 }
            var partEnd = end
            if partEnd - 2 >= partStart, bytes[partEnd - 2] == 0x0D, bytes[partEnd - 1] == 0x0A { partEnd -= 2 }
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: partStart), headerEnd <= partEnd else {
                throw Failure.malformed("a part without headers")
            }
            let headers = String(decoding: bytes[partStart ..< headerEnd], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let nameRange = disposition.range(of: "name=\"") else {
                throw Failure.malformed("a part without a field name")
            }
            let rest = disposition[nameRange.upperBound...]
            guard let close = rest.firstIndex(of: "\"") else { throw Failure.malformed("a part's name is not closed") }
            let name = String(rest[..<close])
            guard let value = String(validating: bytes[(headerEnd + 4) ..< partEnd], as: UTF8.self) else {
                throw Failure.malformed("\(name) is not UTF-8 text")
            }
            guard form.fields.count < maximumFields else { throw Failure.malformed("more than \(maximumFields) fields") }
            form.fields[name] = value
        }
        return form
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && haystack[index ..< index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
