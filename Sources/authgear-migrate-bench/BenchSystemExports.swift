import Foundation

/// Other systems' exports for the record pipeline's benchmark, generated from the same users
/// as `BenchData` (about 1 % defective): read through their presets, so a row measures
/// detection + index + mapping + validation (+ planning) of a mapped source.
enum BenchSystemExports {
    static let formats = ["firebase", "auth0", "supabase"]

    static func fileExtension(_ format: String) -> String { format == "auth0" ? "ndjson" : "json" }

    /// Appends the head of the file.
    static func head(_ format: String, into buffer: inout String) {
        switch format {
        case "firebase": buffer += "{\"users\": [\n"
        case "supabase": buffer += "[\n"
        default: break
        }
    }

    static func tail(_ format: String, into buffer: inout String) {
        switch format {
        case "firebase": buffer += "]}\n"
        case "supabase": buffer += "]\n"
        default: break
        }
    }

    /// Appends user `i` (record `i` of `count`) as `format` writes it.
    static func user(_ r: BenchData.Fields, i: Int, count: Int, format: String, into buffer: inout String) {
        let last = i + 1 == count
        switch format {
        case "firebase":
            // `firebase auth:export`: each user pretty-printed with two spaces, joined by ",\n";
            // a Firebase scrypt hash (not importable: every user gets password.not_importable).
            let hash = String(r.hash.dropFirst(7).prefix(43).map { $0 == "." || $0 == "/" ? "A" : $0 })
            buffer += """
                {
                  "localId": "uid\(100_000 + i)",
                  "email": "\(r.email)",
                  "emailVerified": \(r.verified),
                  "passwordHash": "\(hash)=",
                  "salt": "c2FsdHNhbHQ=",
                  "displayName": "\(r.name)",
                  "photoUrl": "https://example.com/p/\(i).png",
                  "lastSignedInAt": "1700000000000",
                  "createdAt": "1600000000000",
                  "phoneNumber": "\(r.phone)",
                  "customAttributes": "{\\"member_id\\":\\"\(r.member)\\"}",
                  "providerUserInfo": [\(i % 10 == 0 ? "\n    {\n      \"providerId\": \"google.com\",\n      \"rawId\": \"\(i)\",\n      \"email\": \"\(r.email)\"\n    }\n  " : "")]
                }
                """ + (last ? "\n" : ",\n")
        case "auth0":
            // An Auth0 export job (NDJSON); every 10th user social.
            let social = i % 10 == 0
            buffer += "{\"user_id\":\"\(social ? "google-oauth2" : "auth0")|\(600_000 + i)\",\"email\":\"\(r.email)\",\"email_verified\":\(r.verified),"
                + "\"name\":\"\(r.name)\",\"given_name\":\"\(r.given)\",\"family_name\":\"\(r.family)\",\"nickname\":\"\(r.given.lowercased())\","
                + "\"picture\":\"https://example.com/p/\(i).png\",\"phone_number\":\"\(r.phone)\","
                + "\"identities\":[{\"provider\":\"\(social ? "google-oauth2" : "auth0")\",\"user_id\":\"\(600_000 + i)\",\"connection\":\"\(social ? "google-oauth2" : "Username-Password-Authentication")\",\"isSocial\":\(social)}],"
                + "\"user_metadata\":{\"member_id\":\"\(r.member)\"},\"app_metadata\":{\"roles\":[\"role_a\"]},"
                + "\"created_at\":\"2023-01-01T00:00:00.000Z\",\"updated_at\":\"2024-01-01T00:00:00.000Z\",\"last_login\":\"2024-06-01T00:00:00.000Z\",\"logins_count\":\(i % 50)}\n"
        default:
            // Supabase `auth.users` as a JSON client gives it; every 20th row deleted (skipped).
            let deleted = i % 20 == 5
            buffer += "{\"instance_id\":\"00000000-0000-0000-0000-000000000000\",\"id\":\"\(UUIDText.of(i))\",\"aud\":\"authenticated\",\"role\":\"authenticated\","
                + "\"email\":\"\(r.email)\",\"encrypted_password\":\"\(r.hash)\",\"email_confirmed_at\":\(r.verified == "true" ? "\"2024-01-15 10:30:00.000000+00\"" : "null"),"
                + "\"phone\":\"\(r.phone.dropFirst())\",\"raw_app_meta_data\":{\"provider\":\"email\",\"providers\":[\"email\"]},"
                + "\"raw_user_meta_data\":{\"full_name\":\"\(r.name)\"},\"created_at\":\"2024-01-15 10:30:00.000000+00\","
                + "\"deleted_at\":\(deleted ? "\"2024-05-01 00:00:00+00\"" : "null"),\"is_anonymous\":false}" + (last ? "\n" : ",\n")
        }
    }
}

enum UUIDText {
    static func of(_ i: Int) -> String {
        let hex = String(i, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }
}

/// Each row's wall and CPU as a ratio to the Authgear document's row of the same size and
/// phase: how much a mapped source (or another container) costs against the native document.
enum BenchRatios {
    struct Row {
        let size: Int
        let format: String
        let phase: String
        let wall: Double
        let cpu: Double
        let peakMB: Double

        /// From a child's "wall | CPU | records/s | peak MB | first ms |" line.
        init?(size: Int, format: String, phase: String, line: String) {
            let cells = line.split(separator: "|").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard cells.count >= 4, let wall = cells[0], let cpu = cells[1], let peak = cells[3] else { return nil }
            (self.size, self.format, self.phase, self.wall, self.cpu, self.peakMB) = (size, format, phase, wall, cpu, peak)
        }
    }

    static func print(_ rows: [Row]) {
        let ratios = rows.compactMap { row -> String? in
            guard row.format != "authgear",
                  let base = rows.first(where: { $0.format == "authgear" && $0.size == row.size && $0.phase == row.phase }),
                  base.wall > 0, base.cpu > 0 else { return nil }
            return "| \(row.size) | \(row.format) | \(row.phase) | "
                + String(format: "%.2f× | %.2f× | %.2f× |", row.wall / base.wall, row.cpu / base.cpu, row.peakMB / max(base.peakMB, 1))
        }
        guard !ratios.isEmpty else { return }
        Swift.print("\nagainst the Authgear document of the same size and phase:")
        Swift.print("| records | format | phase | wall | CPU | peak |")
        Swift.print("|---:|---|---|---:|---:|---:|")
        for line in ratios { Swift.print(line) }
    }
}
