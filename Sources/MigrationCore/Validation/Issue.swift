/// One finding about one record: what is wrong (or will be ignored), where, and in whose words.
public struct Issue: Sendable, Equatable, Hashable {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning
        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    /// JSON pointer of the field at fault (`""` for the whole record).
    public var pointer: String
    /// A stable rule id, e.g. `schema.type`, `format.email`, `login_id.blocked`, `duplicate_identifier`.
    public var rule: String
    /// Human text; the server's own wording where the server has one.
    public var message: String
    /// For schema failures: the cause object exactly as the server would report it.
    public var cause: SchemaCause?

    public init(_ severity: Severity, _ pointer: String, rule: String, _ message: String, cause: SchemaCause? = nil) {
        self.severity = severity
        self.pointer = pointer
        self.rule = rule
        self.message = message
        self.cause = cause
    }

    public static func error(_ pointer: String, rule: String, _ message: String, cause: SchemaCause? = nil) -> Issue {
        Issue(.error, pointer, rule: rule, message, cause: cause)
    }

    public static func warning(_ pointer: String, rule: String, _ message: String) -> Issue {
        Issue(.warning, pointer, rule: rule, message)
    }
}

/// A JSON-schema failure as the server reports it in `info.causes`:
/// `{"location": "/email", "kind": "format", "details": {…}}`.
public struct SchemaCause: Sendable, Equatable, Hashable {
    public var location: String
    public var kind: String
    /// Absent for `additionalProperties` failures (kind `""`).
    public var details: JSONValue?

    public init(location: String, kind: String, details: JSONValue?) {
        self.location = location
        self.kind = kind
        self.details = details
    }

    /// The cause as a JSON object, keys in the server's order.
    public var json: JSONValue {
        var members = [JSONMember("location", .string(location)), JSONMember("kind", .string(kind))]
        if let details { members.append(JSONMember("details", details)) }
        return .object(members)
    }
}
