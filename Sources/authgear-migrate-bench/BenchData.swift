import Foundation

/// Generates realistic benchmark sources: ~300-byte records, about 1% defective, in each format.
enum BenchData {
    static let formats = ["authgear", "json-array", "ndjson", "csv"]

    /// Path of the generated file for `count` records in `format` under `dir` (created if missing).
    static func file(count: Int, format: String, dir: String) throws -> String {
        let ext = format == "csv" ? "csv" : (format == "ndjson" ? "ndjson" : "json")
        let path = "\(dir)/users-\(count)-\(format).\(ext)"
        if FileManager.default.fileExists(atPath: path) { return path }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path + ".tmp", contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + ".tmp"))
        var buffer = ""
        buffer.reserveCapacity(1 << 21)
        func flush(_ force: Bool = false) throws {
            if force || buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        switch format {
        case "authgear": buffer += "{\"identifier\":\"email\",\"upsert\":false,\"records\":[\n"
        case "json-array": buffer += "[\n"
        case "csv": buffer += "email,email_verified,name,given_name,family_name,phone_number,password.password_hash,custom_attributes.member_id,custom_attributes.tier,roles\n"
        default: break
        }
        var rng = SplitMix(seed: UInt64(count))
        for i in 0..<count {
            let r = Fields(i: i, rng: &rng)
            switch format {
            case "csv":
                buffer += "\(r.email),\(r.verified),\(r.name),\(r.given),\(r.family),\(r.phone),\(r.hash),\(r.member),\(r.tier),role_a\n"
            default:
                let sep = format == "ndjson" ? "\n" : (i + 1 < count ? ",\n" : "\n")
                buffer += "{\"email\":\"\(r.email)\",\"email_verified\":\(r.verified),\"name\":\"\(r.name)\",\"given_name\":\"\(r.given)\",\"family_name\":\"\(r.family)\",\"phone_number\":\"\(r.phone)\",\"password\":{\"type\":\"bcrypt\",\"password_hash\":\"\(r.hash)\"},\"custom_attributes\":{\"member_id\":\"\(r.member)\",\"tier\":\"\(r.tier)\"},\"roles\":[\"role_a\"]}" + sep
            }
            try flush()
        }
        switch format {
        case "authgear": buffer += "]}\n"
        case "json-array": buffer += "]\n"
        default: break
        }
        try flush(true)
        try handle.close()
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
        return path
    }

    /// One generated user; every 100th has a defect (bad email, short hash, bad phone, …).
    struct Fields {
        var email, verified, name, given, family, phone, hash, member, tier: String

        init(i: Int, rng: inout SplitMix) {
            let givenNames = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis"]
            let familyNames = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie"]
            given = givenNames[i % 8]
            family = familyNames[(i / 8) % 8]
            name = given + " " + family
            email = "\(given.lowercased()).\(family.lowercased()).\(i)@example.com"
            verified = i % 2 == 0 ? "true" : "false"
            let prefixes = ["+85261", "+85294", "+85296", "+85297", "+85264"]
            let digits = String((i * 7919) % 1_000_000)
            phone = prefixes[i % 5] + String(repeating: "0", count: 6 - digits.count) + digits
            let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            var h = "$2a$10$"
            for _ in 0..<53 { h.append(alphabet[Int(rng.next() % 64)]) }
            hash = h
            member = "M\(100_000 + i)"
            tier = i % 3 == 0 ? "gold" : "silver"
            if i % 100 == 37 {
                switch (i / 100) % 5 {
                case 0: email = "\(given.lowercased()).\(i).example.com"
                case 1: hash = "$2a$10$short"
                case 2: phone = "98765432"
                case 3: tier = "bronze"
                default: given = ""
                }
            }
        }
    }
}

/// A small deterministic PRNG.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
