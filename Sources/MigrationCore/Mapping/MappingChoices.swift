/// What a mapping step can offer the operator: the record fields a source value can fill, the
/// conversion a field gets by default, and the source paths a record has (to pick a new row's
/// source from). Read by the TUI; the mapping format itself is `RecordMappingFile`.
public enum MappingChoices {
    /// Every field path a mapping can write, in the schema's order (objects by their members;
    /// `custom_attributes.` and `address.` take any member name).
    public static let targetFields: [String] = {
        var fields: [String] = []
        for top in CSVRecordFields.topLevel {
            switch top {
            case "address":
                fields += ["address.formatted", "address.street_address", "address.locality", "address.region",
                           "address.postal_code", "address.country"]
            case "custom_attributes": continue
            case "password": fields += ["password.password_hash", "password.type", "password.expire_after"]
            case "mfa": fields += ["mfa.email", "mfa.phone_number", "mfa.totp.secret", "mfa.password.password_hash"]
            default: fields.append(top)
            }
        }
        return fields
    }()

    /// Whether `field` is a path a mapping may write (`custom_attributes.tier`, `address.*` after a wildcard source).
    public static func isField(_ field: String) -> Bool {
        var parts = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, parts.last == "*" { parts[parts.count - 1] = "x" }
        return CSVRecordFields.isKnown(parts)
    }

    /// The conversion a CSV column mapped to `field` gets when the mapping gives no type.
    public static func defaultType(forField field: String) -> CSVValueType {
        CSVRecordFields.defaultType(for: field.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
    }

    /// The JSON pointers of the values in `record`, in order: each scalar's, and each array's
    /// (its items are not listed one by one); an object is entered, an empty one listed itself.
    public static func sourcePaths(in record: JSONValue) -> [String] {
        var out: [String] = []
        func walk(_ value: JSONValue, _ pointer: JSONPointer) {
            switch value {
            case .object(let members) where !members.isEmpty:
                for m in members { walk(m.value, pointer.appending(m.key)) }
            default:
                if !pointer.tokens.isEmpty { out.append(pointer.description) }
            }
        }
        walk(record, .root)
        return out
    }
}
