import MigrationCore

/// How a mapping row converts its value, as the mapping step offers it: a CSV column's type, or
/// an extended mapping row's transform (the options of `RecordMappingFile`: `transform`,
/// `strip_prefix`, `add_prefix`, `type` with `separator`). Each choice changes the row's entry
/// and nothing else, so options it does not concern (`scheme_from`, `drop`, `member_of`) stay.
public enum MappingConversion: Equatable, Sendable {
    /// The value as it is: every conversion option removed (a CSV column: the field's default type).
    case none
    case transform(MappingRule.Transform)
    case type(CSVValueType)
    /// Split on a separator (`type: list`); asks for the separator.
    case split
    /// Cut a prefix off the text (`strip_prefix`); asks for it.
    case stripPrefix
    /// Put a prefix in front unless it is there (`add_prefix`, "+" for a phone without it); asks for it.
    case addPrefix

    /// The options a choice may change (the rest of an entry is left alone).
    static let conversionKeys = ["transform", "type", "separator", "true", "false", "values", "strip_prefix", "add_prefix"]

    /// The choices for a row: a CSV column's types, or an extended mapping's transforms.
    public static func choices(preset: Bool) -> [MappingConversion] {
        if !preset { return [.none, .type(.string), .type(.boolean), .type(.integer), .type(.number), .split, .type(.json)] }
        return [.none, .stripPrefix, .split, .type(.boolean), .addPrefix, .transform(.phone), .transform(.rfc3339),
                .transform(.base32), .transform(.lowercase), .transform(.present), .transform(.password), .transform(.bcp47), .transform(.groupKey),
                .type(.integer), .type(.number)]
    }

    /// The menu line of a choice for a row mapped to `field`.
    public func label(preset: Bool, field: String?) -> String {
        switch self {
        case .none: return preset ? "none: the value as it is" : "default for the field (\(field.map { MappingChoices.defaultType(forField: $0).rawValue } ?? "string"))"
        case .type(.boolean): return preset ? "string booleans: \"true\"/\"false\" become true/false" : "boolean: true/false (any case) become booleans"
        case .type(.integer): return "integer: digits become a number"
        case .type(.number): return "number: a decimal number"
        case .type(.json): return "json: the cell parsed as JSON"
        case .type(.list): return "list"
        case .type(.string): return "string: the text as is"
        case .split: return preset ? "split a multi-value cell… (a list, on a separator)" : "list: split on a separator…"
        case .stripPrefix: return "strip a prefix… (auth0| from an id, say)"
        case .addPrefix: return "phone without +: add a prefix… (+)"
        case .transform(.phone): return "phone typed for people: spaces, dashes, brackets removed"
        case .transform(.rfc3339): return "timestamps to RFC 3339 (epoch s/ms, SQL dates)"
        case .transform(.base32): return "base32: a raw TOTP secret's bytes"
        case .transform(.lowercase): return "lowercase"
        case .transform(.present): return "present: true when the value is there"
        case .transform(.password): return "password hash: bcrypt carried, other schemes named"
        case .transform(.bcp47): return "locale to BCP 47 (en_US → en-US)"
        case .transform(.groupKey): return "group key: a group path as a key (/engineering/backend → engineering:backend)"
        }
    }

    /// Whether `entry` already has this conversion (the menu marks it).
    public func isSet(in entry: JSONValue?) -> Bool {
        let options = entry?.objectValue ?? []
        func has(_ key: String) -> Bool { options.contains { $0.key == key } }
        switch self {
        case .none: return !Self.conversionKeys.contains(where: has)
        case .transform(let t): return entry?["transform"]?.stringValue == t.rawValue
        case .type(let t): return entry?["type"]?.stringValue == t.rawValue
        case .split: return entry?["type"]?.stringValue == CSVValueType.list.rawValue
        case .stripPrefix: return has("strip_prefix")
        case .addPrefix: return has("add_prefix")
        }
    }

    /// The option a choice asks a text for, with the text it starts from; nil when it asks nothing.
    public func asks(_ entry: JSONValue?) -> (option: String, label: String, text: String)? {
        switch self {
        case .split: return ("separator", "separator of the values: ", entry?["separator"]?.stringValue ?? ";")
        case .stripPrefix: return ("strip_prefix", "prefix to strip (empty = none): ", entry?["strip_prefix"]?.stringValue ?? "")
        case .addPrefix: return ("add_prefix", "prefix to add when missing (empty = none): ", entry?["add_prefix"]?.stringValue ?? "+")
        default: return nil
        }
    }

    /// `entry` (of a row mapped to `field`) with this conversion; `text` is what `asks` asked for.
    public func applied(to entry: JSONValue?, field: String?, text: String? = nil) -> JSONValue {
        var e: JSONValue = entry?.objectValue != nil ? entry! : .object(field.map { [JSONMember("field", .string($0))] } ?? [])
        func remove(_ keys: [String]) { for k in keys { e = e.setting(k, to: nil) } }
        switch self {
        case .none:
            remove(Self.conversionKeys)
        case .transform(let t):
            remove(["type", "separator", "true", "false", "values"])
            e = e.setting("transform", to: .string(t.rawValue))
        case .type(let t):
            remove(["transform", "separator", "values"] + (t == .boolean ? [] : ["true", "false"]))
            e = e.setting("type", to: .string(t.rawValue))
        case .split:
            remove(["transform", "true", "false", "values"])
            e = e.setting("type", to: .string(CSVValueType.list.rawValue))
            let separator = text ?? ";"
            e = e.setting("separator", to: .string(separator.isEmpty ? ";" : separator))
        case .stripPrefix, .addPrefix:
            let key = self == .stripPrefix ? "strip_prefix" : "add_prefix"
            e = e.setting(key, to: (text ?? "").isEmpty ? nil : .string(text!))
        }
        return e
    }

    /// A row's conversion in a few words for the rows table: "rfc3339", "strip \"auth0|\"",
    /// "split on ;", "booleans"; nil when the value is taken as it is.
    public static func summary(_ entry: JSONValue?) -> String? {
        guard let options = entry?.objectValue else { return nil }
        var parts: [String] = []
        for o in options {
            switch o.key {
            case "transform": parts.append(o.value.stringValue ?? "")
            case "type":
                switch o.value.stringValue {
                case "list": parts.append("split on \(entry?["separator"]?.stringValue ?? ";")")
                case "boolean": parts.append("booleans" + (entry?["true"] != nil || entry?["false"] != nil ? " (own words)" : ""))
                default: parts.append(o.value.stringValue ?? "")
                }
            case "strip_prefix": parts.append("strip \"\(o.value.stringValue ?? "")\"")
            case "add_prefix": parts.append("add \"\(o.value.stringValue ?? "")\"")
            case "values": parts.append("values \(o.value.objectValue?.map(\.key).joined(separator: "/") ?? "")")
            case "member_of": parts.append("member of \(o.value.stringValue ?? "")")
            case "drop": parts.append("drop \(o.value.arrayValue?.compactMap(\.stringValue).joined(separator: ",") ?? "")")
            case "scheme", "scheme_from": parts.append("scheme \(o.value.stringValue ?? "")")
            default: continue
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// A CSV column's type as the rows table shows it, and whether it is the field's default.
    public static func csvType(_ column: MappingState.Column) -> (text: String, isDefault: Bool)? {
        guard let field = column.field else { return nil }
        if let t = column.entry?["type"]?.stringValue {
            return (t == "list" ? "list \(column.entry?["separator"]?.stringValue ?? ";")" : t, false)
        }
        return (MappingChoices.defaultType(forField: field).rawValue, true)
    }
}
