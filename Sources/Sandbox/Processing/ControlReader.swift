import MigrationCore

/// Typed reads of control-API request bodies that fail with a `ControlError` naming the exact path.
struct ControlReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    func fail(_ message: String) -> ControlError { ControlError(message: message, path: path) }

    /// The member `key` of this object (nil when absent).
    func member(_ key: String) -> ControlReader? {
        guard let v = value[key] else { return nil }
        return ControlReader(v, path: path + "/" + JSONPointer(tokens: [key]).description.dropFirst())
    }

    /// The object's members after checking that every key is one of `allowed`.
    func object(allowing allowed: Set<String>) throws(ControlError) -> ControlReader {
        guard case .object(let members) = value else { throw fail("must be an object") }
        for m in members where !allowed.contains(m.key) {
            throw ControlError(message: "unknown key \"\(m.key)\"", path: path + "/" + JSONPointer(tokens: [m.key]).description.dropFirst())
        }
        return self
    }

    func items() throws(ControlError) -> [ControlReader] {
        guard case .array(let items) = value else { throw fail("must be an array") }
        return items.enumerated().map { ControlReader($0.element, path: path + "/\($0.offset)") }
    }

    func string(nonEmpty: Bool = true) throws(ControlError) -> String {
        guard case .string(let s) = value else { throw fail("must be a string") }
        if nonEmpty, s.isEmpty { throw fail("must not be empty") }
        return s
    }

    func bool() throws(ControlError) -> Bool {
        guard case .bool(let b) = value else { throw fail("must be a boolean") }
        return b
    }

    func double() throws(ControlError) -> Double {
        guard let d = value.doubleValue, d.isFinite else { throw fail("must be a number") }
        return d
    }

    func int(minimum: Int) throws(ControlError) -> Int {
        guard let text = value.numberText, JSONValue.isIntegerText(text), let d = Double(text), abs(d) < 9e15 else {
            throw fail("must be an integer")
        }
        let i = Int(d)
        if i < minimum { throw fail("must be at least \(minimum)") }
        return i
    }

    /// A list of distinct non-empty strings.
    func distinctStrings() throws(ControlError) -> [String] {
        var out: [String] = []
        for item in try items() {
            let s = try item.string()
            if out.contains(s) { throw item.fail("duplicate value \"\(s)\"") }
            out.append(s)
        }
        return out
    }

    /// One of `allowed`.
    func oneOf(_ allowed: [String]) throws(ControlError) -> String {
        let s = try string(nonEmpty: false)
        guard allowed.contains(s) else { throw fail("must be one of " + allowed.joined(separator: ", ")) }
        return s
    }
}
