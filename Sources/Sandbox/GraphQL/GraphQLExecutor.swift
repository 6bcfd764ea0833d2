import Foundation
import MigrationCore

/// Executes one validated operation against a snapshot of the user store, as graphql-go does:
/// fields in document order (mutations serially), errors nulling their field and propagating
/// through non-null types. Deletions are collected, not applied: the caller commits them only
/// when the response has no errors (spec §11, one transaction per request).
struct GraphQLExecutor {
    /// A value a field resolves to before completion.
    indirect enum Resolved {
        case null
        case leaf(JSONValue)
        case object(GraphQLObject)
        case list([Resolved])
    }

    let document: GraphQLDocument
    let store: UserStore
    let project: SandboxProject
    let now: Date
    let variables: [String: JSONValue]
    /// Users deleted by this request so far (invisible to later fields of the same request).
    private(set) var deleted: [String] = []
    private(set) var errors: [GraphQLResponseError] = []

    init(document: GraphQLDocument, store: UserStore, project: SandboxProject, now: Date, variables: [String: JSONValue]) {
        self.document = document
        self.store = store
        self.project = project
        self.now = now
        self.variables = variables
    }

    /// The `data` value (nil = `null`, after a non-null root field failed).
    mutating func execute(_ operation: GraphQLOperation) -> JSONValue? {
        let root: GraphQLObject = operation.kind == .mutation ? .mutation : .query
        return selectionSet(operation.selections, object: root, path: [])
    }

    /// Users visible to this request: in the store and not deleted by an earlier field.
    func user(id: String) -> SandboxUser? {
        deleted.contains(id) ? nil : store.user(id: id)
    }

    // MARK: - Completion

    private mutating func selectionSet(_ selections: [GraphQLSelection], object: GraphQLObject, path: [JSONValue]) -> JSONValue? {
        var members: [JSONMember] = []
        var positions: [String: Int] = [:]
        for field in collect(selections, typeName: object.typeName) {
            let key = field.responseKey
            let fieldPath = path + [.string(key)]
            guard let value = complete(field, object: object, path: fieldPath) else { return nil }
            if let p = positions[key] { members[p] = JSONMember(key, value) } else {
                positions[key] = members.count
                members.append(JSONMember(key, value))
            }
        }
        return .object(members)
    }

    /// The fields of `selections` that apply to `typeName`, fragments flattened, in document order.
    func collect(_ selections: [GraphQLSelection], typeName: String) -> [GraphQLField] {
        var out: [GraphQLField] = []
        var seenFragments: Set<String> = []
        func walk(_ list: [GraphQLSelection]) {
            for s in list {
                switch s {
                case .field(let f): out.append(f)
                case .inlineFragment(let condition, let inner, _):
                    if condition.map({ GraphQLSchema.applies($0, to: typeName) }) ?? true { walk(inner) }
                case .fragmentSpread(let name, _):
                    guard seenFragments.insert(name).inserted, let fragment = document.fragments[name],
                          GraphQLSchema.applies(fragment.typeCondition, to: typeName) else { continue }
                    walk(fragment.selections)
                }
            }
        }
        walk(selections)
        return out
    }

    /// One field's completed value; nil when the null must propagate to the parent.
    private mutating func complete(_ field: GraphQLField, object: GraphQLObject, path: [JSONValue]) -> JSONValue? {
        if field.name == "__typename" { return .string(object.typeName) }
        let definition = GraphQLSchema.types[object.typeName == "User" ? "User" : object.typeName]![field.name]!
        let resolved: Resolved
        do throws(APIError) {
            resolved = try resolve(field, on: object, arguments: try arguments(field, definition))
        } catch {
            errors.append(GraphQLResponseError(message: error.message, location: field.location, path: path, apiError: error))
            return definition.type.isNonNull ? nil : .null
        }
        return complete(resolved, type: definition.type, field: field, path: path)
    }

    private mutating func complete(_ value: Resolved, type: GraphQLTypeRef, field: GraphQLField, path: [JSONValue]) -> JSONValue? {
        if case .nonNull(let inner) = type {
            guard let completed = complete(value, type: inner, field: field, path: path) else { return nil }
            if completed == .null {
                errors.append(GraphQLResponseError(message: "Cannot return null for non-nullable field \(field.name).", location: field.location, path: path))
                return nil
            }
            return completed
        }
        switch value {
        case .null: return .null
        case .leaf(let json): return json
        case .object(let object):
            return selectionSet(field.selections ?? [], object: object, path: path) ?? .null
        case .list(let items):
            guard case .list(let itemType) = type else { return .null }
            var out: [JSONValue] = []
            for (i, item) in items.enumerated() {
                guard let v = complete(item, type: itemType, field: field, path: path + [.number(String(i))]) else { return .null }
                out.append(v)
            }
            return .array(out)
        }
    }

    private func arguments(_ field: GraphQLField, _ definition: GraphQLSchema.Field) throws(APIError) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for declared in definition.arguments {
            guard let given = field.arguments.first(where: { $0.name == declared.name }) else { continue }
            do {
                out[declared.name] = try GraphQLValidator.coerce(literal: given.value, type: declared.type, variables: variables)
            } catch {
                throw APIError(name: "BadRequest", reason: "BadRequest", message: "Argument \"\(declared.name)\": \(error.message)", code: 400)
            }
        }
        return out
    }

    // MARK: - Root fields

    private mutating func resolve(_ field: GraphQLField, on object: GraphQLObject, arguments: [String: JSONValue]) throws(APIError) -> Resolved {
        switch object {
        case .query:
            switch field.name {
            case "getUserByLoginID":
                return try getUserByLoginID(key: arguments["loginIDKey"]?.stringValue ?? "", value: arguments["loginIDValue"]?.stringValue ?? "")
            case "getUsersByStandardAttribute":
                return try getUsersByStandardAttribute(name: arguments["attributeName"]?.stringValue ?? "",
                                                       value: arguments["attributeValue"]?.stringValue ?? "")
            case "node":
                return node(arguments["id"]?.stringValue ?? "")
            default:
                return .list((arguments["ids"]?.arrayValue ?? []).map { node($0.stringValue ?? "") })
            }
        case .mutation:
            let input = arguments["input"] ?? .null
            return try deleteUser(input["userID"]?.stringValue ?? "")
        default:
            return object.resolve(field.name, arguments: arguments, executor: self)
        }
    }

    static func invalidArgument(_ message: String) -> APIError {
        APIError(name: "Invalid", reason: "GetUsersInvalidArgument", message: message, code: 400)
    }

    private func getUserByLoginID(key keyName: String, value: String) throws(APIError) -> Resolved {
        guard let key = project.loginIDKeys.first(where: { $0.key == keyName }) else { throw Self.invalidArgument("invalid Login ID key") }
        // The server's normaliser does not trim: a value with surrounding space never matches.
        guard value.trimmingCharacters(in: .whitespacesAndNewlines) == value else { return .null }
        switch LoginIDRules.normalizeWithUniqueKey(value, type: key.type, project: project.config(forKey: key)) {
        case .failure:
            if key.type == .username || (key.type == .email && value.contains("@")) { return .null }
            throw Self.invalidArgument("invalid Login ID value")
        case .success(let login):
            guard let id = store.userID(loginIDKey: key.key, uniqueKey: login.uniqueKey), let user = user(id: id) else { return .null }
            return .object(.user(user))
        }
    }

    private func getUsersByStandardAttribute(name: String, value: String) throws(APIError) -> Resolved {
        let types: [String: LoginIDType] = ["email": .email, "phone_number": .phone, "preferred_username": .username]
        guard let type = types[name] else { throw Self.invalidArgument("attributeName must be email, phone_number or preferred_username") }
        let key = project.loginIDKeys.first(where: { $0.type == type }) ?? LoginIDKey(key: type.rawValue, type: type, maxLength: nil)
        guard case .success(let login) = LoginIDRules.normalizeWithUniqueKey(value, type: type, project: project.config(forKey: key)) else {
            throw Self.invalidArgument("invalid attributeValue")
        }
        var seen: Set<String> = []
        var users: [Resolved] = []
        for match in store.identities(claim: name, value: login.value) where seen.insert(match.userID).inserted {
            if let u = user(id: match.userID) { users.append(.object(.user(u))) }
        }
        return .list(users)
    }

    private func node(_ id: String) -> Resolved {
        guard let (type, raw) = GraphQLNodeID.decode(id), type == "User", let u = user(id: raw) else { return .null }
        return .object(.user(u))
    }

    private mutating func deleteUser(_ nodeID: String) throws(APIError) -> Resolved {
        guard let (type, raw) = GraphQLNodeID.decode(nodeID), type == "User" else {
            throw APIError(name: "Invalid", reason: "Invalid", message: "invalid user ID", code: 400)
        }
        guard user(id: raw) != nil else { throw APIError(name: "NotFound", reason: "UserNotFound", message: "user not found", code: 404) }
        deleted.append(raw)
        return .object(.deletePayload(nodeID: nodeID))
    }
}

/// Relay global IDs: base64url without padding of `<Type>:<id>` (spec §12), decoded strictly.
enum GraphQLNodeID {
    static func encode(_ type: String, _ id: String) -> String {
        let bytes = Array("\(type):\(id)".utf8)
        return Base64Text.encodeURL(bytes)
    }

    /// (type, id), or nil for padding, `+`/`/`, or anything that is not `Type:id`.
    static func decode(_ text: String) -> (String, String)? {
        guard !text.isEmpty, text.utf8.allSatisfy({ Base64Text.urlAlphabet.contains($0) }), text.utf8.count % 4 != 1,
              let bytes = Base64Text.decodeURL(text), let s = String(bytes: bytes, encoding: .utf8),
              let colon = s.firstIndex(of: ":") else { return nil }
        return (String(s[..<colon]), String(s[s.index(after: colon)...]))
    }
}

/// base64url without padding (Go's `base64.RawURLEncoding`).
enum Base64Text {
    static let urlAlphabet: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8))

    static func encodeURL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeURL(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s.append("=") }
        return Data(base64Encoded: s).map { Array($0) }
    }
}
