import AuthgearAPI
import Foundation
import MigrationCore

/// An in-memory Authgear project answering the Admin GraphQL subset and the User Export API
/// as the export spec describes them, for engine tests (no wire format of its own: users are
/// export records).
final class FakeAdminProject: HTTPTransport, @unchecked Sendable {
    // @unchecked: all state is behind `lock`.
    private let lock = NSLock()
    /// Export NDJSON records by user id, in creation order.
    private var users: [(id: String, record: JSONValue)] = []
    var exportDisabled = false
    /// Users left out of the export file (a page-edge skip).
    var exportSkips: Set<String> = []
    /// The first `expiredDownloads` downloads answer 403 (expired URL).
    var expiredDownloads = 0
    /// Fail every deleteUser of these users (an error rolls the whole request back).
    var refuseDeletion: Set<String> = []
    private(set) var mutationRequests: [Int] = []
    private(set) var deletedIDs: [String] = []
    private(set) var exportsCreated = 0

    func add(id: String, email: String, name: String? = nil, extra: [JSONMember] = []) {
        var members = [JSONMember("sub", .string(id)), JSONMember("email", .string(email))]
        if let name { members.append(JSONMember("name", .string(name))) }
        members += extra
        members.append(JSONMember("identities", .array([.obj(["type": .string("login_id"),
            "login_id": .obj(["key": .string("email"), "type": .string("email"), "value": .string(email), "original_value": .string(email)])])])))
        lock.withLock { users.append((id, .object(members))) }
    }

    func rename(id: String, name: String) {
        lock.withLock {
            guard let k = users.firstIndex(where: { $0.id == id }) else { return }
            users[k].record = users[k].record.setting("name", to: .string(name))
        }
    }

    /// Gives the user another login ID (and email).
    func changeEmail(id: String, to email: String) {
        lock.withLock {
            guard let k = users.firstIndex(where: { $0.id == id }) else { return }
            users[k].record = users[k].record.setting("email", to: .string(email)).setting("identities", to: .array([.obj(["type": .string("login_id"),
                "login_id": .obj(["key": .string("email"), "type": .string("email"), "value": .string(email)])])]))
        }
    }

    var userIDs: [String] { lock.withLock { users.map(\.id) } }

    func stream(_ request: HTTPRequest, into sink: any HTTPBodySink) async throws(TransportError) -> HTTPResponse {
        var response = try await send(request)
        guard response.status == 200 else { return response }
        let body = response.body
        response.body = []
        // Two chunks, split inside a line.
        let cut = body.count / 2
        _ = body[..<cut].withUnsafeBytes { sink.receive($0) }
        _ = body[cut...].withUnsafeBytes { sink.receive($0) }
        return response
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        lock.withLock { answer(request) }
    }

    private func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(value.jsonText.utf8))
    }

    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        let url = request.url
        if url.hasPrefix("https://bucket.test/") {
            if expiredDownloads > 0 { expiredDownloads -= 1; return HTTPResponse(status: 403, body: Array("Request has expired".utf8)) }
            var out = ""
            for u in users where !exportSkips.contains(u.id) { out += u.record.jsonText + "\n" }
            return HTTPResponse(status: 200, body: Array(out.utf8))
        }
        if url.contains("/_api/admin/users/export") {
            if exportDisabled {
                return json(.obj(["error": .obj(["name": .string("InternalError"), "reason": .string("UserExportDisabled"),
                                                 "message": .string("User export disabled"), "code": .number("500")])]), status: 500)
            }
            let task: JSONValue
            if request.method == "POST" {
                exportsCreated += 1
                task = .obj(["id": .string("userexport_TEST"), "created_at": .string("t"), "status": .string("pending")])
            } else {
                task = .obj(["id": .string("userexport_TEST"), "created_at": .string("t"), "completed_at": .string("t"), "status": .string("completed"),
                             "download_url": .string("https://bucket.test/f.ndjson")])
            }
            return json(.obj(["result": task]))
        }
        guard url.hasSuffix("/_api/admin/graphql"), let body = request.body, let doc = try? JSONParser.parse(body),
              let query = doc["query"]?.stringValue else { return HTTPResponse(status: 404) }
        let variables = doc["variables"] ?? .object([])
        if query.hasPrefix("mutation") {
            let ids = (variables.objectValue ?? []).compactMap { $0.value.stringValue.flatMap(AdminGraphQLClient.userID(nodeID:)) }
            mutationRequests.append(ids.count)
            if ids.count > 5 {
                return json(.obj(["error": .obj(["name": .string("BadRequest"), "reason": .string("BadRequest"),
                                                 "message": .string("too many mutation fields in one request: got \(ids.count), limit is 5"), "code": .number("400")])]), status: 400)
            }
            for id in ids where refuseDeletion.contains(id) || !users.contains(where: { $0.id == id }) {
                return json(.obj(["data": .null, "errors": .array([.obj(["message": .string("user not found"),
                    "extensions": .obj(["errorName": .string("NotFound"), "reason": .string(refuseDeletion.contains(id) ? "Refused" : "UserNotFound")])])])]))
            }
            users.removeAll { ids.contains($0.id) }
            deletedIDs += ids
            var data: [JSONMember] = []
            for (k, id) in ids.enumerated() { data.append(JSONMember("d\(k)", .obj(["deletedUserID": .string(AdminGraphQLClient.nodeID(userID: id))]))) }
            return json(.obj(["data": .object(data)]))
        }
        var found: JSONValue = .null
        if query.contains("getUserByLoginID") {
            let value = variables["v"]?.stringValue
            found = users.first { $0.record["email"]?.stringValue == value }.map { graphQLUser($0.record) } ?? .null
        } else if query.contains("node(") {
            let id = variables["id"]?.stringValue.flatMap(AdminGraphQLClient.userID(nodeID:))
            found = users.first { $0.id == id }.map { graphQLUser($0.record) } ?? .null
        }
        return json(.obj(["data": .obj(["u": found])]))
    }

    private func graphQLUser(_ r: JSONValue) -> JSONValue {
        var attributes: [JSONMember] = []
        for name in ProjectUser.standardAttributeNames { if let v = r[name] { attributes.append(JSONMember(name, v)) } }
        let email = r["email"]?.stringValue ?? ""
        let p = "https://authgear.com/claims/login_id/"
        return .obj([
            "id": .string(AdminGraphQLClient.nodeID(userID: r["sub"]!.stringValue!)), "isDisabled": r["disabled"] ?? .bool(false),
            "standardAttributes": .object(attributes), "customAttributes": r["custom_attributes"] ?? .object([]),
            "loginIDs": .array([.obj(["claims": .obj([p + "key": .string("email"), p + "type": .string("email"), p + "value": .string(email)])])]),
            "roles": .obj(["edges": .array((r["roles"]?.arrayValue ?? []).map { .obj(["node": .obj(["key": $0])]) })]),
            "groups": .obj(["edges": .array([])]),
        ])
    }
}
