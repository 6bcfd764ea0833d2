import Foundation

/// Checks a custom attribute value against the project's definition (spec §7.6).
enum CustomAttributeRules {
    struct Problem {
        var message: String
        var cause: SchemaCause
    }

    /// ISO 3166-1 alpha-2 codes known to this platform's Foundation.
    static let countryCodes: Set<String> = Set(Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 && $0.allSatisfy(\.isLetter) })

    static func check(_ value: JSONValue, _ attribute: CustomAttribute, phoneMethod: PhoneValidationMethod) -> Problem? {
        let location = "/" + escapePointerToken(attribute.name)
        func typeProblem(_ expected: [String]) -> Problem {
            Problem(message: "\(attribute.name) must be \(expected.joined(separator: " or ")), not \(value.typeNames[0])",
                    cause: SchemaCause(location: location, kind: "type", details: .obj([
                        "actual": .array(value.typeNames.map(JSONValue.string)), "expected": .array(expected.map(JSONValue.string)),
                    ])))
        }
        func formatProblem(_ format: String, _ error: String) -> Problem {
            Problem(message: "\(attribute.name): \(error)",
                    cause: SchemaCause(location: location, kind: "format", details: .obj(["error": .string(error), "format": .string(format)])))
        }
        switch attribute.type {
        case .string:
            guard let s = value.stringValue else { return typeProblem(["string"]) }
            if s.isEmpty {
                return Problem(message: "\(attribute.name) must not be empty",
                               cause: SchemaCause(location: location, kind: "minLength", details: .obj(["actual": .number("0"), "expected": .number("1")])))
            }
        case .number, .integer:
            guard let text = value.numberText, let d = Double(text) else { return typeProblem([attribute.type == .integer ? "integer" : "number"]) }
            if attribute.type == .integer, !JSONValue.isIntegerText(text) { return typeProblem(["integer"]) }
            if let min = attribute.minimum, d < min {
                return Problem(message: "\(attribute.name) must be at least \(JSONValue.formatNumber(min)), not \(text)",
                               cause: SchemaCause(location: location, kind: "minimum", details: .obj(["actual": .number(text), "minimum": .number(JSONValue.formatNumber(min))])))
            }
            if let max = attribute.maximum, d > max {
                return Problem(message: "\(attribute.name) must be at most \(JSONValue.formatNumber(max)), not \(text)",
                               cause: SchemaCause(location: location, kind: "maximum", details: .obj(["actual": .number(text), "maximum": .number(JSONValue.formatNumber(max))])))
            }
        case .enumeration:
            guard let s = value.stringValue else { return typeProblem(["string"]) }
            if !attribute.enumValues.contains(s) {
                return Problem(message: "\(attribute.name) must be one of \(attribute.enumValues.joined(separator: ", ")), not \"\(s)\"",
                               cause: SchemaCause(location: location, kind: "enum", details: .obj([
                                   "actual": value, "expected": .array(attribute.enumValues.map(JSONValue.string)),
                               ])))
            }
        case .phoneNumber:
            guard let s = value.stringValue else { return typeProblem(["string"]) }
            if let e = PhoneNumbers.check(s, method: phoneMethod).errorMessage { return formatProblem("phone", e) }
        case .email:
            guard let s = value.stringValue else { return typeProblem(["string"]) }
            if let e = FormatRules.email(s) { return formatProblem("email", e) }
        case .url:
            guard let s = value.stringValue else { return typeProblem(["string"]) }
            if let e = FormatRules.uri(s) { return formatProblem("uri", e) }
        case .countryCode:
            guard let s = value.stringValue else { return typeProblem(["string"]) }
            if !countryCodes.contains(s) {
                return Problem(message: "\(attribute.name): \"\(s)\" is not an ISO 3166-1 alpha-2 country code",
                               cause: SchemaCause(location: location, kind: "format", details: .obj(["error": .string("invalid ISO 3166-1 alpha-2 code: \(s)"), "format": .string("iso3166-1-alpha-2")])))
            }
        }
        return nil
    }
}

extension JSONValue {
    /// A number's shortest text (`0`, `1.5`), as Go prints float64 limits.
    static func formatNumber(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}
