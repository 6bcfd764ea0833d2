import Foundation

/// The NDJSON source of the import benchmark: `BenchData`'s records (every login ID unique up to
/// 5,000,000 records), and beyond 5,000,000 records phone numbers from another 5,400,000 valid Hong
/// Kong mobile numbers (`+8525` then 1–5 or 9, a digit other than 5, five digits), so that a
/// 10,000,000-record import has no duplicate login IDs either.
enum ImportBenchData {
    static let uniquePhones = 5_000_000

    /// Path of the file for `count` records under `dir`, generated when missing.
    static func file(count: Int, dir: String) throws -> String {
        if count <= uniquePhones { return try BenchData.file(count: count, format: "ndjson", dir: dir) }
        let path = "\(dir)/users-\(count)-import-ndjson.ndjson"
        if FileManager.default.fileExists(atPath: path) { return path }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path + ".tmp", contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + ".tmp"))
        var buffer = ""
        buffer.reserveCapacity(1 << 21)
        var rng = SplitMix(seed: UInt64(count))
        for i in 0..<count {
            var r = BenchData.Fields(i: i, rng: &rng)
            if r.phone != "98765432" { r.phone = phone(i) }   // the defective ones stay defective
            buffer += "{\"email\":\"\(r.email)\",\"email_verified\":\(r.verified),\"name\":\"\(r.name)\",\"given_name\":\"\(r.given)\",\"family_name\":\"\(r.family)\",\"phone_number\":\"\(r.phone)\",\"password\":{\"type\":\"bcrypt\",\"password_hash\":\"\(r.hash)\"},\"custom_attributes\":{\"member_id\":\"\(r.member)\",\"tier\":\"\(r.tier)\"},\"roles\":[\"role_a\"]}\n"
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        try handle.close()
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
        return path
    }

    /// The phone number of record `i`: `BenchData.phone(i)` below 5,000,000, then the `+8525…` numbers.
    static func phone(_ i: Int) -> String {
        guard i >= uniquePhones else { return BenchData.phone(i) }
        let k = i - uniquePhones
        let second = Array("123459")[(k / 100_000) % 6]
        let third = Array("012346789")[(k / 600_000) % 9]
        let digits = String(k % 100_000)
        return "+8525\(second)\(third)" + String(repeating: "0", count: 5 - digits.count) + digits
    }
}
