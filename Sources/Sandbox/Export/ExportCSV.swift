import MigrationCore

/// The CSV encoding of an export (spec §9): Go's `encoding/csv` with its defaults (comma, `\n`,
/// no BOM), one column per requested pointer, cells from the record tree.
struct ExportCSV: Sendable {
    /// The 41 fixed default pointers (`defaultCSVExportFields`), before the custom attributes.
    static let defaultPointers = [
        "/sub", "/preferred_username", "/email", "/phone_number", "/email_verified", "/phone_number_verified", "/name",
        "/given_name", "/middle_name", "/nickname", "/profile", "/picture", "/website", "/gender", "/birthdate", "/zoneinfo",
        "/locale", "/address/formatted", "/address/street_address", "/address/locality", "/address/region",
        "/address/postal_code", "/address/country", "/roles", "/groups", "/disabled", "/created_at", "/delete_at",
        "/last_login_at", "/is_anonymized", "/anonymize_at", "/temporarily_disabled_from",
        "/temporarily_disabled_until", "/account_valid_from", "/account_valid_until", "/identities", "/mfa/emails",
        "/mfa/phone_numbers", "/mfa/totps", "/biometric_count", "/passkey_count",
    ]

    struct Column: Sendable {
        var pointer: JSONPointer
        var name: String
    }

    var columns: [Column]

    /// The columns of `fields` (`nil` = the default list plus one per configured custom attribute).
    init(fields: [ExportRequest.Field]?, project: SandboxProject) {
        if let fields {
            columns = fields.map { Column(pointer: ExportRequest.pointer($0.pointer), name: $0.resolvedName) }
        } else {
            let pointers = Self.defaultPointers + project.config.customAttributes.map { "/custom_attributes/" + ExportRequest.escapeToken($0.name) }
            columns = pointers.map { Column(pointer: ExportRequest.pointer($0), name: ExportRequest.headerName($0)) }
        }
    }

    /// The header row.
    func writeHeader(to out: inout [UInt8]) {
        Self.writeRow(columns.map(\.name), to: &out)
    }

    /// One user's row.
    func writeRow(_ record: JSONValue, to out: inout [UInt8]) {
        Self.writeRow(columns.map { Self.cell(record.value(at: $0.pointer)) }, to: &out)
    }

    /// `TraverseRecordValue`'s cell text (§9.3).
    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .number(let text)?: return SandboxNumbers.fixedText(text)
        case let container?: return JSONWriter(sortedKeys: true, escapeHTML: true).string(container)
        }
    }

    /// Go's `csv.Writer.Write` with the default comma and `\n` line ends.
    static func writeRow(_ fields: [String], to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            guard needsQuotes(field) else { out.append(contentsOf: field.utf8); continue }
            out.append(UInt8(ascii: "\""))
            for b in field.utf8 {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(0x0A)
    }

    /// `fieldNeedsQuotes`: `\.`, a comma, quote, CR or LF, or a leading Unicode space.
    static func needsQuotes(_ field: String) -> Bool {
        if field.isEmpty { return false }
        if field == "\\." { return true }
        if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }) { return true }
        return field.unicodeScalars.first.map(isGoSpace) ?? false
    }

    /// `unicode.IsSpace`.
    private static func isGoSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

extension SandboxNumbers {
    /// `strconv.FormatFloat(v, 'f', -1, 64)` of a JSON number text: shortest digits, never an exponent.
    static func fixedText(_ text: String) -> String {
        guard let d = Double(text), d.isFinite else { return text }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        let (digits, point) = shortestDigits(abs(d))
        let sign = d < 0 ? "-" : ""
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let cut = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<cut] + "." + digits[cut...]
    }
}
