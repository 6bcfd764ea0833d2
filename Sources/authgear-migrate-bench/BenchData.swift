import Foundation

/// Generates realistic benchmark sources: ~300-byte records, about 1% defective, in each format.
enum BenchData {
    static let formats = ["authgear", "json-array", "ndjson", "csv"]

    /// How phone numbers (a login ID besides the email identifier) are drawn.
    enum Phones: Sendable {
        /// Every record its own number (up to 5,000,000 records).
        case unique
        /// About `percent` % of the records share their number with another record: each
        /// record takes, with probability percent/200, the number of an earlier record.
        case duplicates(percent: Int)
        /// Numbers drawn at random from a pool of `size` (400,000 records from 100,000: groups of ~4).
        case pool(size: Int)
        /// Record `i` takes the number of record `i % period` (10,000,000 records, period 5,000,000: pairs).
        case repeating(period: Int)

        var fileTag: String {
            switch self {
            case .unique: return ""
            case .duplicates(let p): return "-dup\(p)"
            case .pool(let n): return "-pool\(n)"
            case .repeating(let n): return "-repeat\(n)"
            }
        }
    }

    /// The `k`-th distinct phone number (k < 5,000,000): five Hong Kong mobile prefixes times a
    /// permutation of the six-digit suffixes.
    static func phone(_ k: Int) -> String {
        let prefixes = ["+85261", "+85294", "+85296", "+85297", "+85264"]
        let digits = String(((k / 5) * 7919) % 1_000_000)
        return prefixes[k % 5] + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Path of the generated file for `count` records in `format` under `dir` (created if missing).
    static func file(count: Int, format: String, dir: String, phones: Phones = .unique) throws -> String {
        let system = BenchSystemExports.formats.contains(format)
        let ext = system ? BenchSystemExports.fileExtension(format) : format == "csv" ? "csv" : (format == "ndjson" ? "ndjson" : "json")
        let path = "\(dir)/users-\(count)\(phones.fileTag)-\(format).\(ext)"
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
        default: BenchSystemExports.head(format, into: &buffer)
        }
        var rng = SplitMix(seed: UInt64(count))
        var draw = SplitMix(seed: UInt64(count) ^ 0x5eed)
        for i in 0..<count {
            var r = Fields(i: i, rng: &rng)
            if r.phone != "98765432" {   // the defective ones stay defective
                switch phones {
                case .unique: break
                case .duplicates(let percent):
                    if i > 0, draw.next() % 10_000 < UInt64(percent * 50) { r.phone = phone(Int(draw.next() % UInt64(i))) } else { r.phone = phone(i) }
                case .pool(let size): r.phone = phone(Int(draw.next() % UInt64(size)))
                case .repeating(let period): r.phone = phone(i % period)
                }
            }
            switch format {
            case _ where system:
                BenchSystemExports.user(r, i: i, count: count, format: format, into: &buffer)
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
        default: BenchSystemExports.tail(format, into: &buffer)
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
