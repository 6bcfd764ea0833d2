/// A small recursive-descent parser for the GraphQL subset the sandbox executes: operations
/// (`query`, `mutation`, shorthand `{…}`), variable definitions with defaults, fields with aliases
/// and arguments, inline fragments and named fragments. Directives and type-system definitions
/// are syntax the sandbox does not implement; they are refused with a message saying so.
struct GraphQLParser {
    private enum Token: Equatable {
        case punct(Character)
        case spread
        case name(String)
        case int(String)
        case float(String)
        case string(String)
        case end
    }

    private var tokens: [(token: Token, location: GraphQLLocation)] = []
    private var position = 0

    static func parse(_ text: String) throws(GraphQLSyntaxError) -> GraphQLDocument {
        var parser = GraphQLParser()
        try parser.tokenize(Array(text.unicodeScalars))
        return try parser.document()
    }

    // MARK: - Lexer

    private mutating func tokenize(_ s: [Unicode.Scalar]) throws(GraphQLSyntaxError) {
        var i = 0
        var line = 1
        var lineStart = 0
        func location(_ at: Int) -> GraphQLLocation { GraphQLLocation(line: line, column: at - lineStart + 1) }
        while i < s.count {
            let c = s[i]
            switch c {
            case "\u{FEFF}", " ", "\t", ",": i += 1
            case "\n": i += 1; line += 1; lineStart = i
            case "\r":
                i += 1
                if i < s.count, s[i] == "\n" { i += 1 }
                line += 1; lineStart = i
            case "#":
                while i < s.count, s[i] != "\n", s[i] != "\r" { i += 1 }
            case "!", "$", "(", ")", ":", "=", "@", "[", "]", "{", "}", "|", "&":
                tokens.append((.punct(Character(c)), location(i))); i += 1
            case ".":
                guard i + 2 < s.count, s[i + 1] == ".", s[i + 2] == "." else {
                    throw GraphQLSyntaxError(message: "Syntax Error GraphQL (\(line):\(i - lineStart + 1)) Unexpected character \".\".", location: location(i))
                }
                tokens.append((.spread, location(i))); i += 3
            case "\"":
                let start = location(i)
                if i + 2 < s.count, s[i + 1] == "\"", s[i + 2] == "\"" {
                    i += 3
                    var out = ""
                    while true {
                        guard i < s.count else { throw GraphQLSyntaxError(message: "Syntax Error GraphQL (\(start.line):\(start.column)) Unterminated string.", location: start) }
                        if i + 2 < s.count, s[i] == "\"", s[i + 1] == "\"", s[i + 2] == "\"" { i += 3; break }
                        if s[i] == "\n" { line += 1; lineStart = i + 1 }
                        out.unicodeScalars.append(s[i]); i += 1
                    }
                    tokens.append((.string(Self.blockStringValue(out)), start))
                    continue
                }
                i += 1
                var out = ""
                while true {
                    guard i < s.count, s[i] != "\n", s[i] != "\r" else {
                        throw GraphQLSyntaxError(message: "Syntax Error GraphQL (\(start.line):\(start.column)) Unterminated string.", location: start)
                    }
                    let ch = s[i]
                    if ch == "\"" { i += 1; break }
                    if ch == "\\" {
                        guard i + 1 < s.count else { continue }
                        let e = s[i + 1]
                        i += 2
                        switch e {
                        case "\"": out += "\""
                        case "\\": out += "\\"
                        case "/": out += "/"
                        case "b": out += "\u{8}"
                        case "f": out += "\u{C}"
                        case "n": out += "\n"
                        case "r": out += "\r"
                        case "t": out += "\t"
                        case "u":
                            guard i + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + 4)])), radix: 16),
                                  let scalar = Unicode.Scalar(v) else {
                                throw GraphQLSyntaxError(message: "Syntax Error GraphQL (\(line):\(i - lineStart + 1)) Bad character escape sequence.", location: location(i))
                            }
                            out.unicodeScalars.append(scalar); i += 4
                        default:
                            throw GraphQLSyntaxError(message: "Syntax Error GraphQL (\(line):\(i - lineStart)) Bad character escape sequence.", location: location(i - 1))
                        }
                        continue
                    }
                    out.unicodeScalars.append(ch); i += 1
                }
                tokens.append((.string(out), start))
            case "-", "0"..."9":
                let start = i
                if s[i] == "-" { i += 1 }
                while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
                var isFloat = false
                if i < s.count, s[i] == "." {
                    isFloat = true; i += 1
                    while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
                }
                if i < s.count, s[i] == "e" || s[i] == "E" {
                    isFloat = true; i += 1
                    if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
                    while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
                }
                let text = String(String.UnicodeScalarView(s[start..<i]))
                guard text != "-", !text.hasSuffix("."), !text.hasSuffix("e"), !text.hasSuffix("E") else {
                    throw GraphQLSyntaxError(message: "Syntax Error GraphQL (\(line):\(start - lineStart + 1)) Invalid number \"\(text)\".", location: location(start))
                }
                tokens.append((isFloat ? .float(text) : .int(text), location(start)))
            default:
                guard Self.isNameStart(c) else {
                    throw GraphQLSyntaxError(message: "Syntax Error GraphQL (\(line):\(i - lineStart + 1)) Unexpected character \"\(c)\".", location: location(i))
                }
                let start = i
                while i < s.count, Self.isNameStart(s[i]) || ("0"..."9").contains(s[i]) { i += 1 }
                tokens.append((.name(String(String.UnicodeScalarView(s[start..<i]))), location(start)))
            }
        }
        tokens.append((.end, location(i)))
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    /// A block string's value: common indentation removed, blank first/last lines dropped.
    private static func blockStringValue(_ raw: String) -> String {
        var lines = raw.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let indents = lines.dropFirst().filter { !$0.allSatisfy { $0 == " " || $0 == "\t" } }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }
        if let common = indents.min(), common > 0 {
            lines = [lines[0]] + lines.dropFirst().map { String($0.dropFirst(min(common, $0.count))) }
        }
        while let first = lines.first, first.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        return lines.joined(separator: "\n").replacingOccurrences(of: "\\\"\"\"", with: "\"\"\"")
    }

    // MARK: - Parser

    private var current: Token { tokens[position].token }
    private var here: GraphQLLocation { tokens[position].location }

    private func unexpected() -> GraphQLSyntaxError {
        let description: String
        switch current {
        case .punct(let c): description = "\"\(c)\""
        case .spread: description = "\"...\""
        case .name(let n): description = "Name \"\(n)\""
        case .int(let t): description = "Int \"\(t)\""
        case .float(let t): description = "Float \"\(t)\""
        case .string(let s): description = "String \"\(s)\""
        case .end: description = "EOF"
        }
        return GraphQLSyntaxError(message: "Syntax Error GraphQL (\(here.line):\(here.column)) Unexpected \(description)", location: here)
    }

    private func unsupported(_ what: String) -> GraphQLSyntaxError {
        GraphQLSyntaxError(message: "Syntax Error GraphQL (\(here.line):\(here.column)) \(what) are not part of the sandbox's GraphQL subset "
                               + "(operations, fields, aliases, arguments, variables, inline and named fragments)", location: here, unsupported: true)
    }

    private mutating func expect(_ c: Character) throws(GraphQLSyntaxError) {
        guard current == .punct(c) else { throw unexpected() }
        position += 1
    }

    private mutating func skip(_ c: Character) -> Bool {
        if current == .punct(c) { position += 1; return true }
        return false
    }

    private mutating func name() throws(GraphQLSyntaxError) -> String {
        guard case .name(let n) = current else { throw unexpected() }
        position += 1
        return n
    }

    private mutating func document() throws(GraphQLSyntaxError) -> GraphQLDocument {
        var doc = GraphQLDocument(operations: [], fragments: [:])
        repeat {
            let location = here
            switch current {
            case .punct("{"):
                doc.operations.append(GraphQLOperation(kind: .query, name: nil, variables: [], selections: try selectionSet(), location: location))
            case .name("query"), .name("mutation"), .name("subscription"):
                guard case .name(let keyword) = current else { throw unexpected() }
                position += 1
                var opName: String?
                if case .name = current { opName = try name() }
                let variables = try variableDefinitions()
                if current == .punct("@") { throw unsupported("directives") }
                doc.operations.append(GraphQLOperation(kind: GraphQLOperationKind(rawValue: keyword)!, name: opName,
                                                       variables: variables, selections: try selectionSet(), location: location))
            case .name("fragment"):
                position += 1
                let fragmentName = try name()
                guard current == .name("on") else { throw unexpected() }
                position += 1
                let type = try name()
                if current == .punct("@") { throw unsupported("directives") }
                doc.fragments[fragmentName] = GraphQLFragment(name: fragmentName, typeCondition: type, selections: try selectionSet(), location: location)
            case .name("schema"), .name("scalar"), .name("type"), .name("interface"), .name("union"), .name("enum"),
                 .name("input"), .name("extend"), .name("directive"):
                throw unsupported("type system definitions")
            default:
                throw unexpected()
            }
        } while current != .end
        return doc
    }

    private mutating func variableDefinitions() throws(GraphQLSyntaxError) -> [GraphQLVariableDefinition] {
        guard skip("(") else { return [] }
        var out: [GraphQLVariableDefinition] = []
        repeat {
            let location = here
            try expect("$")
            let variable = try name()
            try expect(":")
            let type = try typeRef()
            var defaultValue: GraphQLValue?
            if skip("=") { defaultValue = try value(constant: true) }
            out.append(GraphQLVariableDefinition(name: variable, type: type, defaultValue: defaultValue, location: location))
        } while !skip(")")
        return out
    }

    private mutating func typeRef() throws(GraphQLSyntaxError) -> GraphQLTypeRef {
        var type: GraphQLTypeRef
        if skip("[") {
            type = .list(try typeRef())
            try expect("]")
        } else {
            type = .named(try name())
        }
        if skip("!") { type = .nonNull(type) }
        return type
    }

    private mutating func selectionSet() throws(GraphQLSyntaxError) -> [GraphQLSelection] {
        try expect("{")
        var out: [GraphQLSelection] = []
        repeat {
            out.append(try selection())
        } while !skip("}")
        return out
    }

    private mutating func selection() throws(GraphQLSyntaxError) -> GraphQLSelection {
        let location = here
        if current == .spread {
            position += 1
            if current == .name("on") {
                position += 1
                let type = try name()
                if current == .punct("@") { throw unsupported("directives") }
                return .inlineFragment(typeCondition: type, selections: try selectionSet(), location: location)
            }
            if current == .punct("{") { return .inlineFragment(typeCondition: nil, selections: try selectionSet(), location: location) }
            if current == .punct("@") { throw unsupported("directives") }
            let fragment = try name()
            if current == .punct("@") { throw unsupported("directives") }
            return .fragmentSpread(name: fragment, location: location)
        }
        var fieldName = try name()
        var alias: String?
        if skip(":") {
            alias = fieldName
            fieldName = try name()
        }
        var arguments: [(name: String, value: GraphQLValue)] = []
        if skip("(") {
            repeat {
                let argument = try name()
                try expect(":")
                arguments.append((argument, try value(constant: false)))
            } while !skip(")")
        }
        if current == .punct("@") { throw unsupported("directives") }
        var selections: [GraphQLSelection]?
        if current == .punct("{") { selections = try selectionSet() }
        return .field(GraphQLField(alias: alias, name: fieldName, arguments: arguments, selections: selections, location: location))
    }

    private mutating func value(constant: Bool) throws(GraphQLSyntaxError) -> GraphQLValue {
        switch current {
        case .punct("$") where !constant:
            position += 1
            return .variable(try name())
        case .punct("["):
            position += 1
            var items: [GraphQLValue] = []
            while !skip("]") { items.append(try value(constant: constant)) }
            return .list(items)
        case .punct("{"):
            position += 1
            var fields: [(name: String, value: GraphQLValue)] = []
            while !skip("}") {
                let field = try name()
                try expect(":")
                fields.append((field, try value(constant: constant)))
            }
            return .object(fields)
        case .int(let t): position += 1; return .int(t)
        case .float(let t): position += 1; return .float(t)
        case .string(let s): position += 1; return .string(s)
        case .name("true"): position += 1; return .bool(true)
        case .name("false"): position += 1; return .bool(false)
        case .name("null"): position += 1; return .null
        case .name(let n): position += 1; return .enumValue(n)
        default: throw unexpected()
        }
    }
}
