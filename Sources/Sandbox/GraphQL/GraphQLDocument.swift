/// The parsed GraphQL document of the sandbox's Admin API subset (spec Part B): operations,
/// fields with aliases and arguments, variables, inline fragments and named fragments.
struct GraphQLDocument: Sendable {
    var operations: [GraphQLOperation]
    var fragments: [String: GraphQLFragment]
}

struct GraphQLLocation: Sendable, Equatable {
    var line: Int
    var column: Int
}

enum GraphQLOperationKind: String, Sendable {
    case query, mutation, subscription
}

struct GraphQLOperation: Sendable {
    var kind: GraphQLOperationKind
    var name: String?
    var variables: [GraphQLVariableDefinition]
    var selections: [GraphQLSelection]
    var location: GraphQLLocation
}

struct GraphQLVariableDefinition: Sendable {
    var name: String
    var type: GraphQLTypeRef
    var defaultValue: GraphQLValue?
    var location: GraphQLLocation
}

struct GraphQLFragment: Sendable {
    var name: String
    var typeCondition: String
    var selections: [GraphQLSelection]
    var location: GraphQLLocation
}

struct GraphQLField: Sendable {
    var alias: String?
    var name: String
    var arguments: [(name: String, value: GraphQLValue)]
    var selections: [GraphQLSelection]?
    var location: GraphQLLocation
    /// The response key: the alias when given.
    var responseKey: String { alias ?? name }
}

enum GraphQLSelection: Sendable {
    case field(GraphQLField)
    case inlineFragment(typeCondition: String?, selections: [GraphQLSelection], location: GraphQLLocation)
    case fragmentSpread(name: String, location: GraphQLLocation)
}

indirect enum GraphQLValue: Sendable {
    case variable(String)
    case int(String)
    case float(String)
    case string(String)
    case bool(Bool)
    case null
    case enumValue(String)
    case list([GraphQLValue])
    case object([(name: String, value: GraphQLValue)])

    /// The value as graphql-go prints it in messages (`1`, `"x"`, `{userID: "x"}`).
    var printed: String {
        switch self {
        case .variable(let n): return "$" + n
        case .int(let t), .float(let t): return t
        case .string(let s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .enumValue(let e): return e
        case .list(let items): return "[" + items.map(\.printed).joined(separator: ", ") + "]"
        case .object(let fields): return "{" + fields.map { "\($0.name): \($0.value.printed)" }.joined(separator: ", ") + "}"
        }
    }
}

indirect enum GraphQLTypeRef: Sendable, Equatable, CustomStringConvertible {
    case named(String)
    case list(GraphQLTypeRef)
    case nonNull(GraphQLTypeRef)

    var description: String {
        switch self {
        case .named(let n): return n
        case .list(let t): return "[\(t)]"
        case .nonNull(let t): return "\(t)!"
        }
    }

    var isNonNull: Bool { if case .nonNull = self { return true } else { return false } }
    /// The type without its outer `!`.
    var nullable: GraphQLTypeRef { if case .nonNull(let t) = self { return t } else { return self } }
    /// The named type under every list and `!`.
    var namedType: String {
        switch self {
        case .named(let n): return n
        case .list(let t), .nonNull(let t): return t.namedType
        }
    }
}

/// A document the parser refuses: graphql-go's syntax error (the server answers 500, spec §11).
struct GraphQLSyntaxError: Error, Sendable, Equatable {
    var message: String
    var location: GraphQLLocation
    /// Valid GraphQL the sandbox does not implement (directives, type definitions): answered as a
    /// GraphQL error (HTTP 200) naming the subset, not as the server's 500 for a syntax error.
    var unsupported = false
}
