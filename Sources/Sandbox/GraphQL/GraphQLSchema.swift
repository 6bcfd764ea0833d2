/// The part of Authgear's Admin API schema the sandbox executes (`portal/src/graphql/adminapi/schema.graphql`,
/// spec §13–§14). Anything else is answered with graphql-go's validation error for an unknown field.
enum GraphQLSchema {
    struct Field: Sendable {
        var type: GraphQLTypeRef
        var arguments: [(name: String, type: GraphQLTypeRef)]
    }

    /// Scalars and enums: fields of these types take no selection set.
    static let leafTypes: Set<String> = [
        "ID", "String", "Boolean", "Int", "DateTime", "UserStandardAttributes", "UserCustomAttributes",
        "IdentityClaims", "AuthenticatorClaims", "IdentityType", "AuthenticatorType", "AuthenticatorKind",
    ]

    /// Object types and the interface `Node`, each with its fields (`__typename` is implicit).
    static let types: [String: [String: Field]] = [
        "Query": [
            "getUserByLoginID": f("User", ("loginIDKey", "String!"), ("loginIDValue", "String!")),
            "getUsersByStandardAttribute": f("[User!]!", ("attributeName", "String!"), ("attributeValue", "String!")),
            "node": f("Node", ("id", "ID!")),
            "nodes": f("[Node]!", ("ids", "[ID!]!")),
        ],
        "Mutation": [
            "deleteUser": f("DeleteUserPayload!", ("input", "DeleteUserInput!")),
        ],
        "Node": ["id": f("ID!")],
        "User": [
            "id": f("ID!"), "createdAt": f("DateTime!"), "updatedAt": f("DateTime!"), "lastLoginAt": f("DateTime"),
            "isDisabled": f("Boolean!"), "disableReason": f("String"), "isAnonymized": f("Boolean!"),
            "isDeactivated": f("Boolean!"), "deleteAt": f("DateTime"), "anonymizeAt": f("DateTime"),
            "accountValidFrom": f("DateTime"), "accountValidUntil": f("DateTime"),
            "standardAttributes": f("UserStandardAttributes!"), "customAttributes": f("UserCustomAttributes!"),
            "loginIDs": f("[Identity!]!"),
            "roles": f("RoleConnection", ("first", "Int"), ("after", "String")),
            "groups": f("GroupConnection", ("first", "Int"), ("after", "String")),
            "primaryPassword": f("Authenticator"), "secondaryPassword": f("Authenticator"),
            "secondaryTOTPAuthenticators": f("[Authenticator!]!"),
            "secondaryOOBOTPEmailAuthenticators": f("[Authenticator!]!"),
            "secondaryOOBOTPSMSAuthenticators": f("[Authenticator!]!"),
        ],
        "Identity": [
            "id": f("ID!"), "type": f("IdentityType!"), "claims": f("IdentityClaims!"),
            "createdAt": f("DateTime!"), "updatedAt": f("DateTime!"),
        ],
        "Authenticator": [
            "id": f("ID!"), "type": f("AuthenticatorType!"), "kind": f("AuthenticatorKind!"), "isDefault": f("Boolean!"),
            "claims": f("AuthenticatorClaims!"), "expireAfter": f("DateTime"), "createdAt": f("DateTime!"), "updatedAt": f("DateTime!"),
        ],
        "RoleConnection": ["edges": f("[RoleEdge]"), "totalCount": f("Int")],
        "RoleEdge": ["cursor": f("String!"), "node": f("Role")],
        "Role": ["id": f("ID!"), "key": f("String!"), "name": f("String"), "description": f("String")],
        "GroupConnection": ["edges": f("[GroupEdge]"), "totalCount": f("Int")],
        "GroupEdge": ["cursor": f("String!"), "node": f("Group")],
        "Group": ["id": f("ID!"), "key": f("String!"), "name": f("String"), "description": f("String")],
        "DeleteUserPayload": ["deletedUserID": f("ID!")],
    ]

    /// Input objects: their fields and types.
    static let inputTypes: [String: [(name: String, type: GraphQLTypeRef)]] = [
        "DeleteUserInput": [("userID", t("ID!")), ("reason", t("String"))],
    ]

    /// Types a fragment on `parent` may name, and whether `object` satisfies `condition`.
    static func applies(_ condition: String, to object: String) -> Bool {
        condition == object || (condition == "Node" && object == "User")
    }

    static func isKnownType(_ name: String) -> Bool {
        types[name] != nil || leafTypes.contains(name) || inputTypes[name] != nil
    }

    private static func f(_ type: String, _ arguments: (String, String)...) -> Field {
        Field(type: t(type), arguments: arguments.map { ($0.0, t($0.1)) })
    }

    /// Parses a type reference written as in SDL (`[User!]!`).
    static func t(_ text: String) -> GraphQLTypeRef {
        var s = Substring(text)
        var nonNull = false
        if s.hasSuffix("!") { nonNull = true; s = s.dropLast() }
        var type: GraphQLTypeRef = s.hasPrefix("[") ? .list(t(String(s.dropFirst().dropLast()))) : .named(String(s))
        if nonNull { type = .nonNull(type) }
        return type
    }
}
