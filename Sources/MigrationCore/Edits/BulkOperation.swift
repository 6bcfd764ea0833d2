import Foundation

/// One fix applied to many records at once (the marked records of the TUI): leave them out or
/// back in, set or delete a field, or a typed transform of a field's value.
public enum BulkOperation: Sendable, Equatable {
    case exclude
    case include
    case set(JSONPointer, JSONValue)
    case delete(JSONPointer)
    /// The string at the pointer in lower case (an e-mail address: the server compares them case-insensitively anyway).
    case lowercase(JSONPointer)
    /// The string at the pointer as an E.164 phone number, national numbers read as numbers of `region`.
    case phoneE164(JSONPointer, region: String)
    /// Leading and trailing white space removed: from the string at the pointer, or from every string of the record (nil).
    case trim(JSONPointer?)

    /// How the operation is named in the undo history and on screen ("lowercase /email").
    public var label: String {
        switch self {
        case .exclude: return "exclude"
        case .include: return "include"
        case .set(let p, _): return "set \(p)"
        case .delete(let p): return "delete \(p)"
        case .lowercase(let p): return "lowercase \(p)"
        case .phoneE164(let p, let region): return "E.164 \(p) (region \(region))"
        case .trim(let p): return p.map { "trim \($0)" } ?? "trim every string"
        }
    }

    /// The edit state of a record after the operation, from its current state (`current`: nil
    /// = as in the source) and its current value (`record`). Returns `current` itself when the
    /// operation does not change the record (no such field, already lower case, a phone number
    /// that cannot be read in `region`, a field operation on an excluded record).
    public func applied(to current: EditOverlay.Change?, record: JSONValue?,
                        phoneMethod: PhoneValidationMethod = .isValidNumber) -> EditOverlay.Change? {
        switch self {
        case .exclude: return .excluded
        case .include: return current == .excluded ? nil : current
        default: break
        }
        guard current != .excluded, let record, let changed = transformed(record, phoneMethod: phoneMethod), changed != record else {
            return current
        }
        return .replaced(changed)
    }

    /// The record with a field operation applied, or nil when it does not apply.
    func transformed(_ record: JSONValue, phoneMethod: PhoneValidationMethod) -> JSONValue? {
        switch self {
        case .exclude, .include: return nil
        case .set(let p, let v): return record.replacing(at: p, with: v)
        case .delete(let p): return record.value(at: p) == nil ? nil : record.replacing(at: p, with: nil)
        case .lowercase(let p):
            guard case .string(let s)? = record.value(at: p) else { return nil }
            return record.replacing(at: p, with: .string(s.lowercased()))
        case .phoneE164(let p, let region):
            guard case .string(let s)? = record.value(at: p),
                  let e164 = PhoneNumbers.e164(s, defaultRegion: region, method: phoneMethod) else { return nil }
            return record.replacing(at: p, with: .string(e164))
        case .trim(let p?):
            guard case .string(let s)? = record.value(at: p) else { return nil }
            return record.replacing(at: p, with: .string(s.trimmingCharacters(in: .whitespacesAndNewlines)))
        case .trim(nil):
            return Self.trimmingStrings(record)
        }
    }

    static func trimmingStrings(_ v: JSONValue) -> JSONValue {
        switch v {
        case .string(let s): return .string(s.trimmingCharacters(in: .whitespacesAndNewlines))
        case .array(let items): return .array(items.map(trimmingStrings))
        case .object(let members): return .object(members.map { JSONMember($0.key, trimmingStrings($0.value)) })
        default: return v
        }
    }
}

extension JSONPointer {
    /// A field as an operator writes it: a JSON pointer (`/address/country`) or dotted names
    /// (`address.country`, `email`); nil when empty or malformed.
    public init?(fieldPath text: String) {
        let path = text.trimmingCharacters(in: .whitespaces)
        if path.hasPrefix("/") {
            guard let p = JSONPointer(path), !p.tokens.isEmpty else { return nil }
            self = p
            return
        }
        let tokens = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, !tokens.contains(where: \.isEmpty) else { return nil }
        self.init(tokens: tokens)
    }
}
