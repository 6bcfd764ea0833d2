import MigrationCore

/// `httputil.BindJSONBody`'s decoding of a request body (import spec §4.3): empty → InvalidJSON,
/// truncated → 500, syntax → InvalidJSON with the byte offset; the value and any trailing-data error.
enum GoJSONBody {
    /// The first JSON value of `body` and the error trailing bytes would cause (reported after the schema).
    static func decode(_ body: [UInt8]) -> Result<(value: JSONValue, trailing: APIError?), APIError> {
        let (first, trailing, value) = body.withUnsafeBytes { raw -> (GoJSONScanner.FirstValue, (String, Int)?, JSONValue?) in
            let first = GoJSONScanner.scanFirstValue(raw)
            guard case .value(let end) = first else { return (first, nil, nil) }
            let slice = UnsafeRawBufferPointer(rebasing: raw[0..<end])
            let value = (try? JSONParser.parse(slice)) ?? (try? JSONParser.parse(GoLeniency.sanitized(slice)))
            return (first, GoJSONScanner.trailingError(raw, from: end), value)
        }
        switch first {
        case .empty: return .failure(.invalidJSON("unexpected end of JSON input", offset: 0))
        case .truncated: return .failure(.unexpected)
        case .syntax(let message, let offset): return .failure(.invalidJSON(message, offset: offset))
        case .value: break
        }
        guard let value else { return .failure(.unexpected) }
        return .success((value, trailing.map { APIError.invalidJSON($0.0, offset: $0.1) }))
    }
}
