import MigrationCore

/// Injected failures for `/_api/` requests and import tasks (`PUT /_sandbox/faults`).
public struct FaultPlan: Sendable, Equatable {
    /// One rule for HTTP requests.
    public struct HTTPRule: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// Answer this status (500 → JSON UnexpectedError, others plain text); `processed` creates the job first.
            case status(Int, processed: Bool)
            /// 429 with `Retry-After`, nothing processed.
            case rateLimit(retryAfterSeconds: Int)
            /// Process the request, then close the connection without an answer.
            case dropAfterRead
            /// Delay the answer.
            case latency(milliseconds: Int)
        }
        public var kind: Kind
        public var share: Double
        public var methods: [String]
    }

    /// One rule for import tasks, decided when the job is created.
    public struct TaskRule: Sendable, Equatable {
        public var hang: Bool
        public var share: Double
        /// Only this task (0-based within its job) when set.
        public var taskIndex: Int?
        /// Records committed before the crash or hang.
        public var afterRecords: Int
    }

    /// One rule for user exports, decided when the export is created.
    public struct ExportRule: Sendable, Equatable {
        public enum Kind: String, Sendable { case fail, hang, pageEdge = "page_edge" }
        public var kind: Kind
        public var share: Double
        /// `page_edge`: users skipped (and repeated) at every page boundary.
        public var users: Int
        /// `page_edge`: users per page.
        public var pageSize: Int
    }

    public var seed: UInt64
    public var http: [HTTPRule]
    public var tasks: [TaskRule]
    public var exports: [ExportRule] = []

    public static let none = FaultPlan(seed: 0, http: [], tasks: [])

    /// Parses the control API body; omitted keys take their defaults.
    public init(json: JSONValue) throws(ControlError) {
        guard case .object = json else { throw ControlError(message: "must be an object", path: "") }
        try Self.checkKeys(json, ["seed", "http", "tasks", "exports"], path: "")
        seed = try json["seed"].map { v throws(ControlError) in UInt64(try Self.int(v, "/seed", min: 0)) } ?? 0
        http = []
        tasks = []
        for (i, rule) in try Self.array(json["http"], "/http").enumerated() {
            http.append(try Self.httpRule(rule, path: "/http/\(i)"))
        }
        for (i, rule) in try Self.array(json["tasks"], "/tasks").enumerated() {
            tasks.append(try Self.taskRule(rule, path: "/tasks/\(i)"))
        }
        for (i, rule) in try Self.array(json["exports"], "/exports").enumerated() {
            exports.append(try Self.exportRule(rule, path: "/exports/\(i)"))
        }
    }

    init(seed: UInt64, http: [HTTPRule], tasks: [TaskRule]) {
        self.seed = seed
        self.http = http
        self.tasks = tasks
    }

    /// The effective plan, defaults filled in.
    public var json: JSONValue {
        let httpRules: [JSONValue] = http.map { rule in
            var members: [JSONMember]
            switch rule.kind {
            case .status(let code, let processed):
                members = [JSONMember("kind", .string("status")), JSONMember("status", .number(String(code))), JSONMember("processed", .bool(processed))]
            case .rateLimit(let seconds):
                members = [JSONMember("kind", .string("rate_limit")), JSONMember("retry_after_seconds", .number(String(seconds)))]
            case .dropAfterRead:
                members = [JSONMember("kind", .string("drop_after_read"))]
            case .latency(let ms):
                members = [JSONMember("kind", .string("latency")), JSONMember("latency_ms", .number(String(ms)))]
            }
            members.append(JSONMember("share", .number(String(rule.share))))
            members.append(JSONMember("methods", .array(rule.methods.map(JSONValue.string))))
            return .object(members)
        }
        let taskRules: [JSONValue] = tasks.map { rule in
            var members = [JSONMember("kind", .string(rule.hang ? "hang" : "crash")), JSONMember("share", .number(String(rule.share)))]
            if let index = rule.taskIndex { members.append(JSONMember("task_index", .number(String(index)))) }
            members.append(JSONMember("after_records", .number(String(rule.afterRecords))))
            return .object(members)
        }
        let exportRules: [JSONValue] = exports.map { rule in
            var members = [JSONMember("kind", .string(rule.kind.rawValue)), JSONMember("share", .number(String(rule.share)))]
            if rule.kind == .pageEdge {
                members.append(JSONMember("users", .number(String(rule.users))))
                members.append(JSONMember("page_size", .number(String(rule.pageSize))))
            }
            return .object(members)
        }
        return .obj(["seed": .number(String(seed)), "http": .array(httpRules), "tasks": .array(taskRules), "exports": .array(exportRules)])
    }

    private static func exportRule(_ rule: JSONValue, path: String) throws(ControlError) -> ExportRule {
        guard case .object = rule else { throw ControlError(message: "must be an object", path: path) }
        guard let kind = rule["kind"]?.stringValue.flatMap(ExportRule.Kind.init(rawValue:)) else {
            throw ControlError(message: "kind must be one of fail, hang, page_edge", path: path + "/kind")
        }
        try checkKeys(rule, kind == .pageEdge ? ["kind", "share", "users", "page_size"] : ["kind", "share"], path: path)
        let users = try rule["users"].map { v throws(ControlError) in try int(v, path + "/users", min: 1) } ?? 1
        let pageSize = try rule["page_size"].map { v throws(ControlError) in try int(v, path + "/page_size", min: 2) } ?? ExportTask.pageSize
        guard users < pageSize else { throw ControlError(message: "must be less than page_size", path: path + "/users") }
        return ExportRule(kind: kind, share: try share(rule, path), users: users, pageSize: pageSize)
    }

    private static func httpRule(_ rule: JSONValue, path: String) throws(ControlError) -> HTTPRule {
        guard case .object = rule else { throw ControlError(message: "must be an object", path: path) }
        let kind: HTTPRule.Kind
        switch rule["kind"]?.stringValue {
        case "status"?:
            try checkKeys(rule, ["kind", "status", "processed", "share", "methods"], path: path)
            guard let status = rule["status"] else { throw ControlError(message: "status is required", path: path + "/status") }
            let code = try int(status, path + "/status", min: 400)
            guard code <= 599 else { throw ControlError(message: "must be between 400 and 599", path: path + "/status") }
            kind = .status(code, processed: try bool(rule["processed"], path + "/processed") ?? false)
        case "rate_limit"?:
            try checkKeys(rule, ["kind", "retry_after_seconds", "share", "methods"], path: path)
            kind = .rateLimit(retryAfterSeconds: try rule["retry_after_seconds"].map { v throws(ControlError) in try int(v, path + "/retry_after_seconds", min: 0) } ?? 1)
        case "drop_after_read"?:
            try checkKeys(rule, ["kind", "share", "methods"], path: path)
            kind = .dropAfterRead
        case "latency"?:
            try checkKeys(rule, ["kind", "latency_ms", "share", "methods"], path: path)
            guard let ms = rule["latency_ms"] else { throw ControlError(message: "latency_ms is required", path: path + "/latency_ms") }
            kind = .latency(milliseconds: try int(ms, path + "/latency_ms", min: 0))
        default:
            throw ControlError(message: "kind must be one of status, rate_limit, drop_after_read, latency", path: path + "/kind")
        }
        var methods = ["POST", "GET"]
        if let list = rule["methods"] {
            guard let items = list.arrayValue else { throw ControlError(message: "must be an array", path: path + "/methods") }
            methods = []
            for (i, item) in items.enumerated() {
                guard let m = item.stringValue, m == "POST" || m == "GET" else {
                    throw ControlError(message: "must be \"POST\" or \"GET\"", path: path + "/methods/\(i)")
                }
                methods.append(m)
            }
        }
        return HTTPRule(kind: kind, share: try share(rule, path), methods: methods)
    }

    private static func taskRule(_ rule: JSONValue, path: String) throws(ControlError) -> TaskRule {
        guard case .object = rule else { throw ControlError(message: "must be an object", path: path) }
        try checkKeys(rule, ["kind", "share", "task_index", "after_records"], path: path)
        let hang: Bool
        switch rule["kind"]?.stringValue {
        case "crash"?: hang = false
        case "hang"?: hang = true
        default: throw ControlError(message: "kind must be crash or hang", path: path + "/kind")
        }
        let index = try rule["task_index"].map { v throws(ControlError) in try int(v, path + "/task_index", min: 0) }
        let after = try rule["after_records"].map { v throws(ControlError) in try int(v, path + "/after_records", min: 0) } ?? 0
        return TaskRule(hang: hang, share: try share(rule, path), taskIndex: index, afterRecords: after)
    }

    private static func share(_ rule: JSONValue, _ path: String) throws(ControlError) -> Double {
        guard let value = rule["share"] else { return 1.0 }
        guard let d = value.doubleValue, d >= 0, d <= 1 else { throw ControlError(message: "must be a number from 0 to 1", path: path + "/share") }
        return d
    }

    private static func checkKeys(_ object: JSONValue, _ allowed: Set<String>, path: String) throws(ControlError) {
        for member in object.objectValue ?? [] where !allowed.contains(member.key) {
            throw ControlError(message: "unknown key", path: path + "/" + member.key)
        }
    }

    private static func array(_ value: JSONValue?, _ path: String) throws(ControlError) -> [JSONValue] {
        guard let value else { return [] }
        guard let items = value.arrayValue else { throw ControlError(message: "must be an array", path: path) }
        return items
    }

    private static func int(_ value: JSONValue, _ path: String, min: Int) throws(ControlError) -> Int {
        guard let text = value.numberText, let n = Int(text), n >= min else {
            throw ControlError(message: "must be an integer ≥ \(min)", path: path)
        }
        return n
    }

    private static func bool(_ value: JSONValue?, _ path: String) throws(ControlError) -> Bool? {
        guard let value else { return nil }
        guard let b = value.boolValue else { throw ControlError(message: "must be a boolean", path: path) }
        return b
    }
}

/// SplitMix64: the one seeded generator behind every fault draw, so a failing run replays.
struct FaultRandom: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    /// A uniform draw in [0, 1).
    mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
