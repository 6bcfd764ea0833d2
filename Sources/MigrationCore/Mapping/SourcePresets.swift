/// The built-in mappings of other systems' exports, and how their records are recognised.
/// Each preset is a mapping document (`RecordMappingFile`) shipped as text inside the binary;
/// `--mapping-out` writes the one in use, and `--mapping FILE` replaces it.
public enum SourcePresets {
    /// The preset's mapping document, parsed; nil for an unknown name.
    public static func mapping(_ name: String) -> RecordMapping? {
        guard let text = documents[name], let document = try? JSONParser.parse(text) else { return nil }
        return try? RecordMapping(document: document)
    }

    /// Which system and preset a record with these keys (or a CSV with this header) is from.
    static func classify(keys: Set<String>, value: (String) -> String?, csv: Bool) -> (format: SourceFormat, preset: String)? {
        func has(_ k: String...) -> Bool { k.allSatisfy(keys.contains) }
        if has("_id", "passwordHash") || (csv && has("_id.$oid", "passwordHash")) { return (.auth0, "auth0-passwords") }
        if has("custom_password_hash") { return (.auth0, "auth0-bulk") }
        if has("user_id") {
            let id = value("user_id") ?? ""
            if csv, id.hasPrefix("'") { return (.auth0, "auth0-csv") }
            if !csv, has("password_hash"), !id.contains("|") { return (.auth0, "auth0-bulk") }
            if !csv, has("identities") || has("app_metadata") || has("user_metadata") || id.contains("|") { return (.auth0, "auth0") }
        }
        if has("localId") { return (.firebase, "firebase") }
        if has("instance_id") || has("encrypted_password", "aud") || has("raw_user_meta_data") { return (.supabase, "supabase") }
        if has("primary_email_address") || has("password_digest", "password_hasher") { return (.clerk, csv ? "clerk" : "clerk-json") }
        if has("Username", "Attributes") || has("Username", "UserStatus") { return (.cognito, "cognito") }
        if has("cognito:username") || has("cognito:mfa_enabled") { return (.cognito, "cognito-csv") }
        if has("credentials", "username") || has("createdTimestamp", "username") || has("federatedIdentities") { return (.keycloak, "keycloak") }
        if has("profile", "status") && (has("credentials") || (value("id") ?? "").hasPrefix("00u")) { return (.okta, "okta") }
        if has("login", "firstName") || has("login", "lastName") { return (.okta, "okta-csv") }
        if has("User", "Login", "Status", "Authentication Source") { return (.okta, "okta-report") }
        if has("model", "fields") { return (.django, "django") }
        if has("user_login", "user_pass") { return (.wordpress, "wordpress") }
        if has("encrypted_password") && (has("sign_in_count") || has("confirmed_at") || has("reset_password_token")) { return (.devise, "devise") }
        if has("password", "username") && (has("is_staff") || has("date_joined") || has("is_superuser")) { return (.django, "django-table") }
        if has("password") && (has("email_verified_at") || has("remember_token")) { return (.laravel, "laravel") }
        return nil
    }

    /// The preset a named system uses for a layout when its records were not recognised.
    static func defaultPreset(_ format: SourceFormat, _ container: RecordContainer) -> String? {
        let csv = container == .csv || container == .headerlessCSV
        switch format {
        case .auth0: return csv ? "auth0-csv" : "auth0"
        case .firebase: return container == .headerlessCSV ? "firebase-csv53" : "firebase"
        case .clerk: return csv ? "clerk" : "clerk-json"
        case .cognito: return csv ? "cognito-csv" : "cognito"
        case .okta: return csv ? "okta-csv" : "okta"
        case .django: return csv ? "django-table" : "django"
        case .supabase, .keycloak, .laravel, .devise, .wordpress: return format.rawValue
        default: return nil
        }
    }

    /// `firebase-csv29` or `firebase-csv53` when the first row is a Firebase `auth:export` CSV row
    /// (no header: 29 or 53 fields, the third `true`/`false`, the 24th or 25th a 13-digit epoch).
    static func firebaseCSVLayout(_ row: [String]) -> String? {
        guard row.count == 29 || row.count == 53, row[2] == "true" || row[2] == "false" else { return nil }
        func epoch(_ s: String) -> Bool { s.utf8.count == 13 && s.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        guard epoch(row[23]) || epoch(row[24]) else { return nil }
        return row.count == 29 ? "firebase-csv29" : "firebase-csv53"
    }

    public static var names: [String] { documents.keys.sorted() }

    static let documents: [String: String] = [
        "auth0": auth0, "auth0-csv": auth0CSV, "auth0-passwords": auth0Passwords, "auth0-bulk": auth0Bulk,
        "firebase": firebase, "firebase-csv29": firebaseCSV(columns: firebaseColumns29), "firebase-csv53": firebaseCSV(columns: firebaseColumns53),
        "supabase": supabase, "clerk": clerk, "clerk-json": clerkJSON, "cognito": cognito, "cognito-csv": cognitoCSV,
        "keycloak": keycloak, "okta": okta, "okta-csv": oktaCSV, "okta-report": oktaReport, "django": django, "django-table": djangoTable,
        "laravel": laravel, "devise": devise, "wordpress": wordpress,
    ]
}
