import Foundation
import MigrationCore

/// Turns HTTP responses of the import endpoints into an ``ImportJob`` or an ``ImportAPIError``.
///
/// Accepts the current `{"result": …}` / `{"error": …}` envelope and the unwrapped bodies of
/// older servers and published examples (spec §3.2, §13).
public enum ResponseClassifier {
    /// Maximum characters of a response body quoted in an error.
    public static let snippetLimit = 200

    /// The job in a 200 response, or the error any other response stands for.
    ///
    /// - Parameters:
    ///   - jobID: the id asked for (GET), used in ``ImportAPIError/jobNotFound(id:)``.
    ///   - now: the local time the response arrived (clock skew, reset and `Retry-After` fallbacks).
    ///   - secrets: strings to blank out of quoted snippets (the bearer token).
    ///   - keepRecordEcho: false leaves every `record` member unparsed (`ImportDetail.record` is nil).
    public static func job(
        from response: HTTPResponse, jobID: String? = nil, now: Date, secrets: [String] = [], keepRecordEcho: Bool = true
    ) -> Result<ImportJob, ImportAPIError> {
        let serverDate = response.header("Date").flatMap(HTTPDate.parse)
        guard response.status == 200 else {
            return .failure(error(for: response, jobID: jobID, now: now, secrets: secrets))
        }
        guard let json = parseObject(response.body, skipping: keepRecordEcho ? [] : ["record"]) else {
            return .failure(.unexpectedResponse(status: 200, snippet: snippet(response.body, secrets: secrets)))
        }
        if let result = json["result"], case .object = result {
            if let job = ImportJob(json: result, serverDate: serverDate) { return .success(job) }
        } else if let errorObject = json["error"], let body = APIErrorBody(json: errorObject) {
            let status = body.code == 0 ? 500 : body.code
            var relabelled = response
            relabelled.status = status
            return .failure(classify(status: status, body: body, response: relabelled, jobID: jobID,
                                     serverDate: serverDate, now: now, secrets: secrets))
        } else if let job = ImportJob(json: json, serverDate: serverDate) {
            return .success(job)  // unwrapped legacy body (spec §13 item 1)
        }
        return .failure(.unexpectedResponse(status: 200, snippet: snippet(response.body, secrets: secrets)))
    }

    /// The error a non-200 response stands for.
    public static func error(
        for response: HTTPResponse, jobID: String? = nil, now: Date, secrets: [String] = []
    ) -> ImportAPIError {
        let serverDate = response.header("Date").flatMap(HTTPDate.parse)
        var body: APIErrorBody?
        if let json = parseObject(response.body) {
            body = json["error"].flatMap(APIErrorBody.init(json:)) ?? APIErrorBody(json: json)
        }
        return classify(status: response.status, body: body, response: response, jobID: jobID,
                        serverDate: serverDate, now: now, secrets: secrets)
    }

    private static func classify(
        status: Int, body: APIErrorBody?, response: HTTPResponse, jobID: String?,
        serverDate: Date?, now: Date, secrets: [String]
    ) -> ImportAPIError {
        let reference = serverDate ?? now
        let retryAfter = response.header("Retry-After").flatMap { HTTPDate.retryAfterSeconds($0, now: reference) }
        func quoted() -> String { snippet(response.body, secrets: secrets) }
        switch status {
        case 403:
            return .forbidden(clockSkew: serverDate.map { now.timeIntervalSince($0) })
        case 413:
            return .bodyTooLarge(limit: body?.info?["limit"]?.doubleValue.flatMap { Int(exactly: $0) })
        case 415:
            return .contentType(message: body?.message ?? quoted())
        case 400:
            guard let body else { return .unexpectedResponse(status: status, snippet: quoted()) }
            switch body.reason {
            case "InvalidJSON":
                let offset = body.info?["byte_offset"]?.doubleValue.flatMap { Int(exactly: $0) }
                return .invalidJSON(message: body.message, byteOffset: offset)
            case "ValidationFailed":
                return .invalidRequest(causes: body.causes)
            default:
                if body.message.contains("content type") { return .contentType(message: body.message) }
                return .rejected(status: status, body: body)
            }
        case 429:
            if let body, body.reason == "UsageLimitExceeded" {
                let period = body.info?["period"]?.stringValue ?? "day"
                return .usageLimitExceeded(period: period, resetsAt: HTTPDate.usageReset(period: period, after: reference))
            }
            return .rateLimited(retryAfter: retryAfter)
        case 404:
            if let body {
                if body.reason == "TaskNotFound" { return .jobNotFound(id: jobID ?? "") }
                return .rejected(status: status, body: body)
            }
            return .endpointNotFound(snippet: quoted())
        case 500...599:
            return .server(status: status, body: body, snippet: body == nil ? quoted() : nil, retryAfter: retryAfter)
        default:
            if let body, (400..<500).contains(status) { return .rejected(status: status, body: body) }
            var text = quoted()
            if (300..<400).contains(status), let location = response.header("Location") {
                text = "redirect to \(cap(clean(location, secrets: secrets)))"
            }
            return .unexpectedResponse(status: status, snippet: text)
        }
    }

    /// The body parsed as a JSON object, or `nil` when it is not one.
    static func parseObject(_ body: [UInt8], skipping: Set<String> = []) -> JSONValue? {
        guard let first = body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
              first == UInt8(ascii: "{"),
              let value = try? JSONParser.parse(body, skipping: skipping), case .object = value else { return nil }
        return value
    }

    /// A short, printable quotation of a body: an HTML page's `<title>` (or its text without
    /// tags), whitespace collapsed, `secrets` and bearer tokens blanked, at most
    /// ``snippetLimit`` characters.
    public static func snippet(_ body: [UInt8], secrets: [String] = []) -> String {
        var text = String(decoding: body.prefix(8192), as: UTF8.self)
        if let open = text.range(of: "<title>", options: .caseInsensitive),
           let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex) {
            text = String(text[open.upperBound..<close.lowerBound])
        } else if text.contains("<") && text.contains(">") {
            text = stripTags(text)
        }
        let cleaned = clean(text, secrets: secrets)
        return cleaned.isEmpty ? "(empty body)" : cap(cleaned)
    }

    private static func stripTags(_ text: String) -> String {
        var out = ""
        var inTag = false
        for ch in text {
            if ch == "<" { inTag = true; out.append(" ") } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
        }
        return out
    }

    private static func clean(_ text: String, secrets: [String]) -> String {
        var text = text
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "[redacted]")
        }
        var words: [Substring] = []
        var redactNext = false
        let isSeparator: (Character) -> Bool = { ch in
            ch.isWhitespace || ch.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true
        }
        for word in text.split(whereSeparator: isSeparator) {
            // The word after `Bearer`, and any JWT-looking word (`eyJ….…`), are blanked.
            let looksLikeJWT = word.hasPrefix("eyJ") && word.contains(".")
            words.append(redactNext || looksLikeJWT ? "[redacted]" : word)
            redactNext = word.lowercased().hasSuffix("bearer")
        }
        return words.joined(separator: " ")
    }

    private static func cap(_ text: String) -> String {
        text.count <= snippetLimit ? text : String(text.prefix(snippetLimit - 1)) + "…"
    }
}
