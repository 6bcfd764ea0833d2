import Hummingbird
import MigrationCore

/// `GET /_sandbox/users?limit=N&after=CURSOR` or `?login_id=VALUE`.
struct UsersQuery: Sendable, Equatable {
    static let defaultLimit = 1000
    /// Larger limits are capped to this (a page stays a few MB).
    static let maximumLimit = 10000

    /// Users per page.
    var limit = UsersQuery.defaultLimit
    /// The previous page's `next`: the id of the last user it listed.
    var after: String?
    /// Only the users with this login ID (as stored: normalised), all on one page.
    var loginID: String?

    init(parameters: [(String, String)]) throws(ControlError) {
        for (name, value) in parameters {
            switch name {
            case "limit":
                guard let n = Int(value), n >= 1 else {
                    throw ControlError(message: "limit must be an integer from 1 (larger than \(Self.maximumLimit) is capped to it), not \"\(value)\"", path: "")
                }
                limit = min(n, Self.maximumLimit)
            case "after": after = value
            case "login_id": loginID = value
            default:
                throw ControlError(message: "unknown parameter \(name) (GET /_sandbox/users takes limit, after and login_id)", path: "")
            }
        }
    }
}

/// The sandbox control API under `/_sandbox/` (no auth, bare JSON objects; faults and quota never apply).
struct ControlAPI: Sendable {
    let state: SandboxState

    /// Routes one control request; nil when no control route matches the path.
    func handle(_ request: Request, path: String) async throws -> Response? {
        let method = request.method
        switch path {
        case "/_sandbox/reset":
            guard method == .post else { return HTTPReply.methodNotAllowed(allow: "OPTIONS, POST") }
            return try await withBody(request) { _ in
                await state.reset()
                return .object([])
            }
        case "/_sandbox/project":
            if method == .get { return HTTPReply.control(await state.project.json) }
            guard method == .put else { return HTTPReply.methodNotAllowed(allow: "GET, OPTIONS, PUT") }
            return try await withBody(request) { body throws(ControlError) in
                let project = try SandboxProject(json: self.withSandboxKey(body, key: state.sandboxKey))
                await state.setProject(project)
                return project.json
            }
        case "/_sandbox/users":
            if method == .get {
                do throws(ControlError) {
                    let query = try UsersQuery(parameters: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
                    return HTTPReply.control(bytes: try await state.usersPage(query, writer: HTTPReply.writer))
                } catch {
                    return HTTPReply.control(error.json, status: .badRequest)
                }
            }
            guard method == .post else { return HTTPReply.methodNotAllowed(allow: "GET, OPTIONS, POST") }
            return try await withBody(request) { body throws(ControlError) in
                let refs = try await state.seedUsers(body)
                let members = refs.sorted { GoOrder.less($0.key, $1.key) }.map { JSONMember($0.key, .string($0.value)) }
                return .obj(["users": .object(members)])
            }
        case "/_sandbox/clock":
            if method == .get { return HTTPReply.control(await clockJSON()) }
            guard method == .post else { return HTTPReply.methodNotAllowed(allow: "GET, OPTIONS, POST") }
            return try await withBody(request) { body throws(ControlError) in
                guard let seconds = body["advance_seconds"]?.doubleValue, seconds.isFinite else {
                    throw ControlError(message: "advance_seconds must be a number", path: "/advance_seconds")
                }
                await state.advanceClock(seconds: seconds)
                return await clockJSON()
            }
        case "/_sandbox/faults":
            if method == .get { return HTTPReply.control(await state.faults.json) }
            guard method == .put else { return HTTPReply.methodNotAllowed(allow: "GET, OPTIONS, PUT") }
            return try await withBody(request) { body throws(ControlError) in
                let plan = try FaultPlan(json: body)
                await state.setFaults(plan)
                return plan.json
            }
        case "/_sandbox/worker":
            if method == .get { return HTTPReply.control(await workerJSON()) }
            guard method == .put else { return HTTPReply.methodNotAllowed(allow: "GET, OPTIONS, PUT") }
            return try await withBody(request) { body throws(ControlError) in
                guard let paused = body["paused"]?.boolValue else { throw ControlError(message: "paused must be a boolean", path: "/paused") }
                await state.setPaused(paused)
                return await workerJSON()
            }
        case "/_sandbox/worker/step":
            guard method == .post else { return HTTPReply.methodNotAllowed(allow: "OPTIONS, POST") }
            guard let body = try await parseBody(request) else { return Self.badBody }
            guard let count = body["tasks"]?.numberText.flatMap({ Int($0) }), count >= 0 else {
                return HTTPReply.control(ControlError(message: "tasks must be an integer ≥ 0", path: "/tasks").json, status: .badRequest)
            }
            guard await state.paused else {
                return HTTPReply.control(ControlError(message: "the worker is not paused", path: "").json, status: .conflict)
            }
            guard let processed = await state.step(count) else {
                return HTTPReply.control(ControlError(message: "a step is already running", path: "").json, status: .conflict)
            }
            return HTTPReply.control(.obj(["processed": .number(String(processed)), "queued_tasks": .number(String(await state.queuedTasks))]))
        case "/_sandbox/jobs":
            guard method == .get else { return HTTPReply.methodNotAllowed(allow: "GET, OPTIONS") }
            return HTTPReply.control(await state.jobsJSON())
        default:
            let prefix = "/_sandbox/jobs/"
            guard path.hasPrefix(prefix), path.count > prefix.count, !path.dropFirst(prefix.count).contains("/") else { return nil }
            guard method == .get else { return HTTPReply.methodNotAllowed(allow: "GET, OPTIONS") }
            guard let job = await state.jobJSON(id: String(path.dropFirst(prefix.count))) else {
                return HTTPReply.control(ControlError(message: "job not found", path: "").json, status: .notFound)
            }
            return HTTPReply.control(job)
        }
    }

    /// Adds the sandbox's own key when the body does not give `admin_keys`.
    func withSandboxKey(_ body: JSONValue, key: AdminKey) -> JSONValue {
        guard case .object = body, !body.has("admin_keys") else { return body }
        return body.setting("admin_keys", to: .array([.obj(["kid": .string(key.kid), "public_key_pem": .string(key.publicKeyPEM)])]))
    }

    private func clockJSON() async -> JSONValue {
        let (now, offset) = await (state.now, state.clockOffsetSeconds)
        return .obj(["now": .string(now.rfc3339Nano), "now_unix": .number(String(now.unixSeconds)),
                     "offset_seconds": .number(Self.numberText(offset))])
    }

    private func workerJSON() async -> JSONValue {
        .obj(["paused": .bool(await state.paused), "queued_tasks": .number(String(await state.queuedTasks))])
    }

    static func numberText(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static let badBody = HTTPReply.control(ControlError(message: "the body is not a JSON object", path: "").json, status: .badRequest)

    private func parseBody(_ request: Request) async throws -> JSONValue? {
        guard let bytes = try await ImportAPI.readBody(request, limit: 64 << 20) else { return nil }
        if bytes.allSatisfy(GoJSONScanner.isSpace) { return .object([]) }
        guard let value = try? JSONParser.parse(bytes), case .object = value else { return nil }
        return value
    }

    /// Parses a JSON object body, runs `apply`, answers its result or the 400 control error.
    private func withBody(_ request: Request, _ apply: (JSONValue) async throws(ControlError) -> JSONValue) async throws -> Response {
        guard let body = try await parseBody(request) else { return Self.badBody }
        do {
            return HTTPReply.control(try await apply(body))
        } catch {
            return HTTPReply.control(error.json, status: .badRequest)
        }
    }
}
