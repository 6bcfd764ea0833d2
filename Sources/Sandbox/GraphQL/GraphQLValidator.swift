import MigrationCore

/// graphql-go's validation and input coercion for the subset: unknown fields, arguments, types and
/// fragments; missing required arguments; leaf/composite selections; variables and literals coerced
/// to their declared types. Messages follow graphql-go's wording; its errors have no `extensions`.
struct GraphQLValidator {
    let document: GraphQLDocument
    private(set) var errors: [GraphQLResponseError] = []

    init(document: GraphQLDocument) { self.document = document }

    mutating func validate(_ operation: GraphQLOperation) {
        let root = operation.kind == .mutation ? "Mutation" : "Query"
        let defined = Set(operation.variables.map(\.name))
        for definition in operation.variables where !GraphQLSchema.isKnownType(definition.type.namedType) {
            errors.append(.init(message: "Unknown type \"\(definition.type.namedType)\".", location: definition.location))
        }
        var visiting: Set<String> = []
        validate(operation.selections, type: root, variables: defined, visiting: &visiting)
    }

    private mutating func validate(_ selections: [GraphQLSelection], type: String, variables: Set<String>, visiting: inout Set<String>) {
        for selection in selections {
            switch selection {
            case .field(let field):
                validate(field, parent: type, variables: variables, visiting: &visiting)
            case .inlineFragment(let condition, let inner, let location):
                let target = condition ?? type
                guard GraphQLSchema.types[target] != nil else {
                    errors.append(.init(message: "Unknown type \"\(target)\".", location: location))
                    continue
                }
                validate(inner, type: target, variables: variables, visiting: &visiting)
            case .fragmentSpread(let name, let location):
                guard let fragment = document.fragments[name] else {
                    errors.append(.init(message: "Unknown fragment \"\(name)\".", location: location))
                    continue
                }
                guard GraphQLSchema.types[fragment.typeCondition] != nil else {
                    errors.append(.init(message: "Unknown type \"\(fragment.typeCondition)\".", location: fragment.location))
                    continue
                }
                guard visiting.insert(name).inserted else {
                    errors.append(.init(message: "Cannot spread fragment \"\(name)\" within itself.", location: location))
                    continue
                }
                validate(fragment.selections, type: fragment.typeCondition, variables: variables, visiting: &visiting)
                visiting.remove(name)
            }
        }
    }

    private mutating func validate(_ field: GraphQLField, parent: String, variables: Set<String>, visiting: inout Set<String>) {
        if field.name == "__typename" {
            if field.selections != nil {
                errors.append(.init(message: "Field \"__typename\" must not have a selection since type \"String!\" has no subfields.", location: field.location))
            }
            return
        }
        guard let definition = GraphQLSchema.types[parent]?[field.name] else {
            errors.append(.init(message: "Cannot query field \"\(field.name)\" on type \"\(parent)\".", location: field.location))
            return
        }
        for argument in field.arguments {
            guard let declared = definition.arguments.first(where: { $0.name == argument.name }) else {
                errors.append(.init(message: "Unknown argument \"\(argument.name)\" on field \"\(field.name)\" of type \"\(parent)\".", location: field.location))
                continue
            }
            for name in Self.variableNames(argument.value) where !variables.contains(name) {
                errors.append(.init(message: "Variable \"$\(name)\" is not defined.", location: field.location))
            }
            if Self.variableNames(argument.value).isEmpty, (try? Self.coerce(literal: argument.value, type: declared.type, variables: [:])) == nil {
                errors.append(.init(message: "Argument \"\(argument.name)\" has invalid value \(argument.value.printed).\nExpected type \"\(declared.type.nullable)\", found \(argument.value.printed).",
                                    location: field.location))
            }
        }
        for declared in definition.arguments where declared.type.isNonNull && !field.arguments.contains(where: { $0.name == declared.name }) {
            errors.append(.init(message: "Field \"\(field.name)\" argument \"\(declared.name)\" of type \"\(declared.type)\" is required but not provided.",
                                location: field.location))
        }
        let named = definition.type.namedType
        if GraphQLSchema.leafTypes.contains(named) {
            if field.selections != nil {
                errors.append(.init(message: "Field \"\(field.name)\" must not have a selection since type \"\(definition.type)\" has no subfields.", location: field.location))
            }
        } else if let inner = field.selections {
            validate(inner, type: named, variables: variables, visiting: &visiting)
        } else {
            errors.append(.init(message: "Field \"\(field.name)\" of type \"\(definition.type)\" must have a sub selection.", location: field.location))
        }
    }

    private static func variableNames(_ value: GraphQLValue) -> [String] {
        switch value {
        case .variable(let name): return [name]
        case .list(let items): return items.flatMap(variableNames)
        case .object(let fields): return fields.flatMap { variableNames($0.value) }
        default: return []
        }
    }

    // MARK: - Coercion

    struct CoercionError: Error { var message: String }

    /// The operation's variables: given values coerced, defaults applied, required ones checked.
    static func coerceVariables(_ operation: GraphQLOperation, values: JSONValue?) -> (values: [String: JSONValue], errors: [GraphQLResponseError]) {
        var out: [String: JSONValue] = [:]
        var errors: [GraphQLResponseError] = []
        for definition in operation.variables {
            let given = values?[definition.name]
            if given == nil || given == .null {
                if let defaultValue = definition.defaultValue, given == nil, let v = try? coerce(literal: defaultValue, type: definition.type, variables: [:]) {
                    out[definition.name] = v
                } else if definition.type.isNonNull {
                    errors.append(.init(message: "Variable \"$\(definition.name)\" of required type \"\(definition.type)\" was not provided.", location: definition.location))
                } else if given == .null {
                    out[definition.name] = .null
                }
                continue
            }
            do {
                out[definition.name] = try coerce(json: given!, type: definition.type)
            } catch {
                let text = JSONWriter(sortedKeys: true, escapeHTML: false).string(given!)
                errors.append(.init(message: "Variable \"$\(definition.name)\" got invalid value \(text).\n\(error.message)", location: definition.location))
            }
        }
        return (out, errors)
    }

    /// A JSON variable value of `type`, or the reason it is not one.
    static func coerce(json: JSONValue, type: GraphQLTypeRef) throws(CoercionError) -> JSONValue {
        switch type {
        case .nonNull(let inner):
            guard json != .null else { throw CoercionError(message: "Expected \"\(type)\", found null.") }
            return try coerce(json: json, type: inner)
        case .list(let inner):
            if json == .null { return .null }
            guard case .array(let items) = json else { return .array([try coerce(json: json, type: inner)]) }
            var out: [JSONValue] = []
            for item in items { out.append(try coerce(json: item, type: inner)) }
            return .array(out)
        case .named(let name):
            if json == .null { return .null }
            if let fields = GraphQLSchema.inputTypes[name] {
                guard case .object(let members) = json else { throw CoercionError(message: "Expected \"\(name)\", found not an object.") }
                var out: [JSONMember] = []
                for member in members where !fields.contains(where: { $0.name == member.key }) {
                    throw CoercionError(message: "In field \"\(member.key)\": Unknown field.")
                }
                for field in fields {
                    guard let value = json[field.name] else {
                        if field.type.isNonNull { throw CoercionError(message: "In field \"\(field.name)\": Expected \"\(field.type)\", found null.") }
                        continue
                    }
                    out.append(JSONMember(field.name, try coerce(json: value, type: field.type)))
                }
                return .object(out)
            }
            switch (name, json) {
            case ("String", .string), ("ID", .string), ("Boolean", .bool): return json
            case ("ID", .number(let text)) where JSONValue.isIntegerText(text): return .string(text)
            case ("Int", .number(let text)) where Int32(text) != nil: return json
            default: throw CoercionError(message: "Expected type \"\(name)\", found \(JSONWriter().string(json)).")
            }
        }
    }

    /// A literal argument value of `type` (variables substituted from `variables`).
    static func coerce(literal: GraphQLValue, type: GraphQLTypeRef, variables: [String: JSONValue]) throws(CoercionError) -> JSONValue {
        if case .variable(let name) = literal {
            let value = variables[name] ?? .null
            if type.isNonNull, value == .null { throw CoercionError(message: "Expected \"\(type)\", found null.") }
            return value
        }
        switch type {
        case .nonNull(let inner):
            if case .null = literal { throw CoercionError(message: "Expected \"\(type)\", found null.") }
            return try coerce(literal: literal, type: inner, variables: variables)
        case .list(let inner):
            if case .null = literal { return .null }
            guard case .list(let items) = literal else { return .array([try coerce(literal: literal, type: inner, variables: variables)]) }
            var out: [JSONValue] = []
            for item in items { out.append(try coerce(literal: item, type: inner, variables: variables)) }
            return .array(out)
        case .named(let name):
            if case .null = literal { return .null }
            if let fields = GraphQLSchema.inputTypes[name] {
                guard case .object(let given) = literal else { throw CoercionError(message: "Expected \"\(name)\".") }
                for g in given where !fields.contains(where: { $0.name == g.name }) { throw CoercionError(message: "Unknown field \"\(g.name)\".") }
                var out: [JSONMember] = []
                for field in fields {
                    guard let value = given.first(where: { $0.name == field.name })?.value else {
                        if field.type.isNonNull { throw CoercionError(message: "Missing field \"\(field.name)\".") }
                        continue
                    }
                    out.append(JSONMember(field.name, try coerce(literal: value, type: field.type, variables: variables)))
                }
                return .object(out)
            }
            switch (name, literal) {
            case ("String", .string(let s)), ("ID", .string(let s)): return .string(s)
            case ("ID", .int(let t)): return .string(t)
            case ("Boolean", .bool(let b)): return .bool(b)
            case ("Int", .int(let t)) where Int32(t) != nil: return .number(t)
            default: throw CoercionError(message: "Expected type \"\(name)\".")
            }
        }
    }
}

/// One entry of a GraphQL response's `errors` (graphql-go `FormattedError`, spec §15).
struct GraphQLResponseError: Error, Sendable {
    var message: String
    var location: GraphQLLocation?
    var path: [JSONValue] = []
    /// `errorName`, `reason` and `info` of an APIError; nil for graphql-go's own errors.
    var apiError: APIError?

    init(message: String, location: GraphQLLocation?, path: [JSONValue] = [], apiError: APIError? = nil) {
        self.message = message
        self.location = location
        self.path = path
        self.apiError = apiError
    }

    var json: JSONValue {
        var members = [JSONMember("message", .string(message)),
                       JSONMember("locations", .array(location.map { [.obj(["line": .number(String($0.line)), "column": .number(String($0.column))])] } ?? []))]
        if !path.isEmpty { members.append(JSONMember("path", .array(path))) }
        if let e = apiError {
            var ext = [JSONMember("errorName", .string(e.name))]
            if let info = e.info { ext.append(JSONMember("info", info)) }
            ext.append(JSONMember("reason", .string(e.reason)))
            members.append(JSONMember("extensions", .object(ext)))
        }
        return .object(members)
    }
}
