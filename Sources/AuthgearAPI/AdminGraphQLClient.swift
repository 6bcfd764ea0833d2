import Foundation
import MigrationCore
import OpenSSLCrypto

/// The few Admin GraphQL operations the tool needs (export spec Part B), typed: look a user up
/// by login ID, by standard attribute or by id, and delete users at most 5 per request.
/// Not a general GraphQL client.
public struct AdminGraphQLClient: Sendable {
    public let connection: AdminAPIConnection
    static let path = "/_api/admin/graphql"

    public init(connection: AdminAPIConnection) {
        self.connection = connection
    }

    /// The `User` fields read into a ``ProjectUser``.
    static let userSelection = """
        id isDisabled standardAttributes customAttributes loginIDs { claims } \
        roles { edges { node { key } } } groups { edges { node { key } } }
        """

    /// The relay node ID of user `uuid`: base64url without padding of `User:<uuid>` (§12).
    public static func nodeID(userID: String) -> String { Base64URL.encode(Array("User:\(userID)".utf8)) }

    /// The user UUID in a node ID, or nil when it is not a `User` node ID.
    public static func userID(nodeID: String) -> String? {
        // Strict as the server: no padding, no standard-alphabet characters.
        guard !nodeID.contains(where: { $0 == "=" || $0 == "+" || $0 == "/" }), let bytes = Base64URL.decode(nodeID) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("User:") else { return nil }
        return String(text.dropFirst(5))
    }

    /// `getUserByLoginID(loginIDKey:loginIDValue:)`: nil when no user has it.
    public func userByLoginID(key: String, value: String) async throws(AdminGraphQLError) -> ProjectUser? {
        let data = try await execute(
            query: "query($k:String!,$v:String!){u:getUserByLoginID(loginIDKey:$k,loginIDValue:$v){\(Self.userSelection)}}",
            variables: [JSONMember("k", .string(key)), JSONMember("v", .string(value))])
        return try Self.user(data["u"])
    }

    /// `getUsersByStandardAttribute(attributeName:attributeValue:)`: every user with that claim
    /// (login-ID, OAuth or LDAP identities), in no particular order.
    public func usersByStandardAttribute(name: String, value: String) async throws(AdminGraphQLError) -> [ProjectUser] {
        let data = try await execute(
            query: "query($n:String!,$v:String!){u:getUsersByStandardAttribute(attributeName:$n,attributeValue:$v){\(Self.userSelection)}}",
            variables: [JSONMember("n", .string(name)), JSONMember("v", .string(value))])
        guard let list = data["u"]?.arrayValue else { throw .unexpectedResponse(status: 200, snippet: "no list of users") }
        var users: [ProjectUser] = []
        for item in list { if let u = try Self.user(item) { users.append(u) } }
        return users
    }

    /// `node(id:)` for user `userID` (a UUID): nil when there is no such user.
    public func user(id userID: String) async throws(AdminGraphQLError) -> ProjectUser? {
        let data = try await execute(query: "query($id:ID!){u:node(id:$id){... on User{\(Self.userSelection)}}}",
                                     variables: [JSONMember("id", .string(Self.nodeID(userID: userID)))])
        return try Self.user(data["u"])
    }

    /// `deleteUser` for each of `userIDs` (UUIDs) in one request — at most 5 — and returns them.
    /// All or nothing: on any error the server rolls the whole request back (§11, §14).
    public func deleteUsers(_ userIDs: [String]) async throws(AdminGraphQLError) -> [String] {
        guard userIDs.count <= AdminGraphQLError.mutationLimit else {
            throw .tooManyMutations(count: userIDs.count, limit: AdminGraphQLError.mutationLimit)
        }
        guard !userIDs.isEmpty else { return [] }
        let params = userIDs.indices.map { "$u\($0):ID!" }.joined(separator: ",")
        let fields = userIDs.indices.map { "d\($0):deleteUser(input:{userID:$u\($0)}){deletedUserID}" }.joined(separator: " ")
        let variables = userIDs.enumerated().map { JSONMember("u\($0.offset)", .string(Self.nodeID(userID: $0.element))) }
        let data = try await execute(query: "mutation(\(params)){\(fields)}", variables: variables)
        var deleted: [String] = []
        for k in userIDs.indices {
            guard let node = data["d\(k)"]?["deletedUserID"]?.stringValue, let id = Self.userID(nodeID: node) else {
                throw .unexpectedResponse(status: 200, snippet: "deleteUser d\(k) answered no deletedUserID")
            }
            deleted.append(id)
        }
        return deleted
    }

    // MARK: - Transport

    /// Posts `{"query","variables"}` and returns `data`, or throws the errors.
    func execute(query: String, variables: [JSONMember]) async throws(AdminGraphQLError) -> JSONValue {
        let body = Array(JSONValue.obj(["query": .string(query), "variables": .object(variables)]).jsonText.utf8)
        let (response, token): (HTTPResponse, String)
        do { (response, token) = try await connection.send(method: "POST", path: Self.path, body: body) } catch { throw .api(error) }
        guard response.status == 200 else {
            let error = ResponseClassifier.error(for: response, now: connection.clock(), secrets: [token])
            if case .rejected(400, let b) = error, let (got, limit) = Self.mutationCounts(b.message) {
                throw .tooManyMutations(count: got, limit: limit)
            }
            throw .api(error)
        }
        guard let json = ResponseClassifier.parseObject(response.body) else {
            throw .unexpectedResponse(status: 200, snippet: ResponseClassifier.snippet(response.body, secrets: [token]))
        }
        if let errors = json["errors"]?.arrayValue, !errors.isEmpty {
            throw .execution(errors.map { e in
                GraphQLErrorItem(message: e["message"]?.stringValue ?? "", path: e["path"]?.arrayValue?.map { $0.stringValue ?? $0.jsonText } ?? [],
                                 errorName: e["extensions"]?["errorName"]?.stringValue, reason: e["extensions"]?["reason"]?.stringValue)
            })
        }
        guard let data = json["data"], case .object = data else {
            throw .unexpectedResponse(status: 200, snippet: ResponseClassifier.snippet(response.body, secrets: [token]))
        }
        return data
    }

    /// `got 6, limit is 5` out of the server's message.
    static func mutationCounts(_ message: String) -> (Int, Int)? {
        guard message.hasPrefix("too many mutation fields") else { return nil }
        let numbers = message.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : (0, AdminGraphQLError.mutationLimit)
    }

    /// A `User` object of the selection above; nil for `null`.
    static func user(_ json: JSONValue?) throws(AdminGraphQLError) -> ProjectUser? {
        guard let json, !json.isNull else { return nil }
        guard let node = json["id"]?.stringValue, let id = userID(nodeID: node) else {
            throw .unexpectedResponse(status: 200, snippet: "a User without a valid id")
        }
        var attributes: [String: JSONValue] = [:]
        for m in json["standardAttributes"]?.objectValue ?? [] where ProjectUser.standardAttributeNames.contains(m.key) {
            if m.key == "address", m.value.objectValue?.isEmpty == true { continue }
            attributes[m.key] = m.value
        }
        var custom: [String: JSONValue] = [:]
        for m in json["customAttributes"]?.objectValue ?? [] { custom[m.key] = m.value }
        let prefix = "https://authgear.com/claims/login_id/"
        let loginIDs: [ProjectUser.LoginID] = (json["loginIDs"]?.arrayValue ?? []).compactMap { identity in
            guard let claims = identity["claims"], let value = claims[prefix + "value"]?.stringValue else { return nil }
            return ProjectUser.LoginID(key: claims[prefix + "key"]?.stringValue ?? "", type: claims[prefix + "type"]?.stringValue ?? "",
                                       value: value, originalValue: claims[prefix + "original_value"]?.stringValue)
        }
        func keys(_ connection: JSONValue?) -> [String] {
            (connection?["edges"]?.arrayValue ?? []).compactMap { $0["node"]?["key"]?.stringValue }
        }
        return ProjectUser(id: id, standardAttributes: attributes, customAttributes: custom, roles: keys(json["roles"]),
                           groups: keys(json["groups"]), disabled: json["isDisabled"]?.boolValue ?? false, loginIDs: loginIDs)
    }
}
