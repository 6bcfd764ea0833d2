/// What surrounds the records in an import request (spec §4): `{"identifier":"email","upsert":false,"records":[`
/// … `]}`. The one place these bytes are written: request bodies, exported import documents and
/// the record-size rule all take them from here, so the size planned is the size sent.
public struct RequestEnvelope: Sendable, Equatable {
    /// Everything before the first record.
    public let prefix: [UInt8]
    /// Everything after the last record.
    public static let suffix: [UInt8] = Array("]}".utf8)

    /// An envelope for any identifier string (JSON-escaped as needed).
    public init(identifier: String, upsert: Bool) {
        var out = Array(#"{"identifier":"#.utf8)
        JSONWriter().writeString(identifier, to: &out)
        out += Array(#","upsert":\#(upsert),"records":["#.utf8)
        prefix = out
    }

    public init(identifier: ImportIdentifier, upsert: Bool) {
        self.init(identifier: identifier.rawValue, upsert: upsert)
    }

    /// Bytes of a body besides its records and the commas between them.
    public var overhead: Int { prefix.count + RequestEnvelope.suffix.count }

    /// The exact size of a body holding records of these compact sizes.
    public func bodySize(recordSizes: some Sequence<Int>) -> Int {
        var total = overhead
        var count = 0
        for s in recordSizes { total += s; count += 1 }
        return total + max(0, count - 1)
    }

    /// A body of `count` records; `record(k, &out)` appends record `k`'s compact JSON.
    public func body(count: Int, reservingCapacity capacity: Int = 0, record: (Int, inout [UInt8]) -> Void) -> [UInt8] {
        var out = prefix
        out.reserveCapacity(capacity)
        for k in 0..<count {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            record(k, &out)
        }
        out.append(contentsOf: RequestEnvelope.suffix)
        return out
    }
}
