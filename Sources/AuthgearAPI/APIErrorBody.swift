import MigrationCore

/// The server's structured error object (spec §3.3), used both for HTTP errors and for the
/// per-record `errors[0]` inside job results (§9.3).
public struct APIErrorBody: Sendable, Equatable, CustomStringConvertible {
    /// Error kind, e.g. `Invalid`, `NotFound`, `InternalError`.
    public var name: String
    /// Finer code, e.g. `ValidationFailed`, `InvariantViolated`, `TaskNotFound`.
    public var reason: String
    /// Human text from the server.
    public var message: String
    /// HTTP status implied by `name` (informational inside job results).
    public var code: Int
    /// Extra details (`causes`, `cause`, `limit`, `byte_offset`, …) or `nil` when omitted.
    public var info: JSONValue?
    /// `<trace id>-<span id>` when the server traces requests.
    public var trackingID: String?

    public init(name: String, reason: String, message: String, code: Int,
                info: JSONValue? = nil, trackingID: String? = nil) {
        self.name = name
        self.reason = reason
        self.message = message
        self.code = code
        self.info = info
        self.trackingID = trackingID
    }

    /// Decodes an APIError object; `nil` unless it has at least `name` or `reason`.
    public init?(json: JSONValue) {
        guard case .object = json else { return nil }
        let name = json["name"]?.stringValue
        let reason = json["reason"]?.stringValue
        guard name != nil || reason != nil else { return nil }
        self.name = name ?? ""
        self.reason = reason ?? ""
        self.message = json["message"]?.stringValue ?? ""
        self.code = json["code"]?.doubleValue.flatMap { Int(exactly: $0) } ?? 0
        let info = json["info"]
        self.info = (info == nil || info == .null) ? nil : info
        self.trackingID = json["tracking_id"]?.stringValue
    }

    /// `info.cause.kind` (e.g. `DuplicatedIdentity`): filter duplicates on this, not on `reason`.
    public var causeKind: String? { info?["cause"]?["kind"]?.stringValue }

    /// The validation causes in `info.causes` (empty when there are none).
    public var causes: [ValidationCause] {
        info?["causes"]?.arrayValue?.compactMap(ValidationCause.init(json:)) ?? []
    }

    /// `Reason: message` plus the tracking id when present.
    public var description: String {
        var text = reason.isEmpty ? message : "\(reason): \(message)"
        if let trackingID { text += " (tracking id \(trackingID))" }
        return text
    }
}

/// One `info.causes` item of a `ValidationFailed` error (spec §8).
public struct ValidationCause: Sendable, Equatable, CustomStringConvertible {
    /// JSON pointer of the failing value (`""` for the root).
    public var location: String
    /// The schema keyword that failed (`required`, `type`, `enum`, …; `""` for additionalProperties).
    public var kind: String
    /// Keyword details, `nil` when absent.
    public var details: JSONValue?

    public init(location: String, kind: String, details: JSONValue? = nil) {
        self.location = location
        self.kind = kind
        self.details = details
    }

    /// Decodes a cause object; `nil` when it is not an object.
    public init?(json: JSONValue) {
        guard case .object = json else { return nil }
        location = json["location"]?.stringValue ?? ""
        kind = json["kind"]?.stringValue ?? ""
        details = json["details"]
    }

    /// `/records: minItems {"actual":0,"expected":1}`.
    public var description: String {
        let place = location.isEmpty ? "(root)" : location
        let what = kind.isEmpty ? "unknown key" : kind
        guard let details else { return "\(place): \(what)" }
        return "\(place): \(what) \(details.jsonText)"
    }
}
