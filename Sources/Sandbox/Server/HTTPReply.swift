import HTTPTypes
import Hummingbird
import MigrationCore

/// Builds the server's responses: the JSON envelope and Go's plain-text errors.
enum HTTPReply {
    /// How every body is written (Go's encoder: HTML-safe, keys in the order given).
    static let writer = JSONWriter(sortedKeys: false, escapeHTML: true)
    private static let pragma = HTTPField.Name("Pragma")!

    /// `{"result": …}` with status 200 (Go's encoder adds a newline).
    static func result(_ value: JSONValue) -> Response {
        json(.obj(["result": value]), status: .ok)
    }

    /// `{"error": …}` with HTTP status = `code`.
    static func error(_ error: APIError) -> Response {
        json(.obj(["error": error.json]), status: HTTPResponse.Status(code: error.code))
    }

    /// A JSON body with the Admin API's no-store headers.
    static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        json(bytes: writer.bytes(value), status: status)
    }

    /// A JSON body with another `Content-Type` (GraphQL answers `application/json; charset=utf-8`).
    static func json(_ value: JSONValue, status: HTTPResponse.Status, contentType: String) -> Response {
        var response = json(bytes: writer.bytes(value), status: status)
        response.headers[.contentType] = contentType
        return response
    }

    /// A JSON body already written (by `writer`), with the same headers and final newline.
    static func json(bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        var bytes = bytes
        bytes.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store", pragma: "no-cache"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Go's `http.Error`: text/plain, `nosniff`, the message plus a newline.
    static func text(_ message: String, status: HTTPResponse.Status, extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8", .xContentTypeOptions: "nosniff"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    static let forbidden = text("Forbidden", status: .forbidden)
    static let notFound = text("404 page not found", status: .notFound)

    static func methodNotAllowed(allow: String) -> Response {
        text("Method Not Allowed", status: .methodNotAllowed, extra: [.allow: allow])
    }

    /// httprouter's trailing-slash redirect: 301 for GET (with Go's small HTML body), 307 otherwise.
    static func redirect(to location: String, get: Bool) -> Response {
        if get {
            return Response(status: .movedPermanently,
                            headers: [.location: location, .contentType: "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "<a href=\"\(htmlEscape(location))\">Moved Permanently</a>.\n\n")))
        }
        return Response(status: .temporaryRedirect, headers: [.location: location])
    }

    /// A control API body (bare object, no envelope).
    static func control(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        json(value, status: status)
    }

    /// A control API body already written as bytes (the users listing).
    static func control(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        json(bytes: bytes, status: status)
    }

    private static func htmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&#34;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
