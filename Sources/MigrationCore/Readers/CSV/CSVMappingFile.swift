import Foundation

/// A problem with the CSV header or the mapping file, naming the mapping key or header concerned.
public struct CSVMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The mapping-file key or header the problem is about (nil when it concerns the whole file).
    public let key: String?
    public let message: String

    public init(key: String?, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { message }
}

/// One validated entry of a `--mapping` file: what a CSV header maps to.
struct CSVMappingEntry: Equatable {
    let header: String
    /// Nil when skipped.
    let path: [String]?
    /// Nil: the field's default conversion.
    let type: CSVValueType?
    let trueWords: [String]
    let falseWords: [String]
    let separator: String?
    let skip: Bool
}

/// Reads and validates a mapping file (a JSON object whose keys are CSV headers).
enum CSVMappingFile {
    static let allowedKeys = ["field", "type", "true", "false", "separator", "skip"]
    static let allowedTypes = CSVValueType.allCases.map(\.rawValue).joined(separator: ", ")

    /// The entries of `file`, keyed by trimmed header text.
    static func entries(_ file: JSONValue) throws -> [String: CSVMappingEntry] {
        guard case .object(let members) = file else {
            throw CSVMappingError(key: nil, message: "mapping file: expected a JSON object whose keys are CSV headers and whose "
                + "values are a field path (\"email\") or an object ({\"field\": \"email\", \"type\": \"string\"}), found \(describe(file))")
        }
        var result: [String: CSVMappingEntry] = [:]
        for member in members {
            let header = member.key.trimmingCharacters(in: .whitespacesAndNewlines)
            guard result[header] == nil else {
                throw CSVMappingError(key: member.key, message: "mapping file: key \"\(member.key)\" appears more than once")
            }
            result[header] = try entry(header: header, key: member.key, value: member.value)
        }
        return result
    }

    private static func entry(header: String, key: String, value: JSONValue) throws -> CSVMappingEntry {
        func fail(_ problem: String) -> CSVMappingError {
            CSVMappingError(key: key, message: "mapping file, key \"\(key)\": \(problem)")
        }
        switch value {
        case .string(let field):
            return CSVMappingEntry(header: header, path: try path(field, fail), type: nil,
                                   trueWords: [], falseWords: [], separator: nil, skip: false)
        case .object(let options):
            var seen = Set<String>()
            for option in options {
                guard allowedKeys.contains(option.key) else {
                    throw fail("unknown option \"\(option.key)\" (allowed: \(allowedKeys.joined(separator: ", ")))")
                }
                guard seen.insert(option.key).inserted else { throw fail("option \"\(option.key)\" appears more than once") }
            }
            var skip = false
            if let value = options.first(where: { $0.key == "skip" })?.value {
                guard case .bool(let flag) = value else { throw fail("\"skip\" must be true or false, found \(describe(value))") }
                skip = flag
            }
            var fieldPath: [String]?
            if let value = options.first(where: { $0.key == "field" })?.value {
                guard case .string(let field) = value else { throw fail("\"field\" must be a string field path, found \(describe(value))") }
                fieldPath = try path(field, fail)
            } else if !skip {
                throw fail("\"field\" is missing (give a field path, or \"skip\": true to ignore the column)")
            }
            var type: CSVValueType?
            if let value = options.first(where: { $0.key == "type" })?.value {
                guard case .string(let name) = value, let parsed = CSVValueType(rawValue: name) else {
                    throw fail("\"type\" must be one of \(allowedTypes), found \(describe(value))")
                }
                type = parsed
            }
            let effectiveType = type ?? fieldPath.map(CSVRecordFields.defaultType(for:)) ?? .string
            let trueWords = try words("true", options, effectiveType, fail)
            let falseWords = try words("false", options, effectiveType, fail)
            if let both = trueWords.first(where: { word in falseWords.contains { $0.lowercased() == word.lowercased() } }) {
                throw fail("\"\(both)\" is listed in both \"true\" and \"false\"")
            }
            var separator: String?
            if let value = options.first(where: { $0.key == "separator" })?.value {
                guard case .string(let text) = value, !text.isEmpty else {
                    throw fail("\"separator\" must be a non-empty string, found \(describe(value))")
                }
                guard effectiveType == .list else {
                    throw fail("\"separator\" only applies to type \"list\" (this column's type is \"\(effectiveType.rawValue)\")")
                }
                separator = text
            }
            return CSVMappingEntry(header: header, path: skip ? nil : fieldPath, type: type,
                                   trueWords: trueWords, falseWords: falseWords, separator: separator, skip: skip)
        default:
            throw fail("expected a field path string or an object with \(allowedKeys.map { "\"\($0)\"" }.joined(separator: ", ")), found \(describe(value))")
        }
    }

    private static func path(_ field: String, _ fail: (String) -> CSVMappingError) throws -> [String] {
        let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard CSVRecordFields.isKnown(path) else {
            throw fail("\"\(field)\" is not a record field (allowed: \(CSVRecordFields.allowedDescription))")
        }
        return path
    }

    private static func words(_ name: String, _ options: [JSONMember], _ type: CSVValueType,
                              _ fail: (String) -> CSVMappingError) throws -> [String] {
        guard let value = options.first(where: { $0.key == name })?.value else { return [] }
        guard case .array(let items) = value else {
            throw fail("\"\(name)\" must be an array of strings such as [\"yes\", \"1\"], found \(describe(value))")
        }
        let words = try items.map { item -> String in
            guard case .string(let word) = item, !word.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("\"\(name)\" must contain only non-empty strings, found \(describe(item))")
            }
            return word.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard type == .boolean else {
            throw fail("\"\(name)\" only applies to type \"boolean\" (this column's type is \"\(type.rawValue)\")")
        }
        return words
    }

    /// A short description of a JSON value for messages (`a number (3)`, `an array`).
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "a boolean (\(b))"
        case .number(let n): return "a number (\(n))"
        case .string(let s): return "the string \"\(s)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
